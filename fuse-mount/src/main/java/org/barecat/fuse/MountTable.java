package org.barecat.fuse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the kernel's mount table ({@code /proc/self/mountinfo}). */
final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /** Whether some filesystem is mounted exactly at {@code mountPoint} (an absolute real path). */
    static boolean isMounted(Path mountPoint) {
        return topmostAt(mountPoint).isPresent();
    }

    /**
     * The filesystem type ({@code fuse.barecat}, {@code ext4}, ...) mounted exactly at
     * {@code mountPoint} (an absolute real path), the topmost when several are stacked there.
     */
    static Optional<String> typeAt(Path mountPoint) {
        return topmostAt(mountPoint).map(line -> line.substring(line.indexOf(" - ") + 3).split(" ", 2)[0]);
    }

    /**
     * The device ({@code major:minor}) of the file system mounted exactly at {@code mountPoint}, the
     * topmost when several are stacked there; read from the table, so the mount itself is not asked.
     */
    static Optional<String> deviceAt(Path mountPoint) {
        return topmostAt(mountPoint).map(line -> line.split(" ", 6)[2]);
    }

    /**
     * The table's line of the file system mounted exactly at {@code mountPoint}, the last (topmost) of
     * several; empty when there is none or the table cannot be read. Lines without the " - " that
     * ends the optional fields are not well formed and are passed over.
     */
    private static Optional<String> topmostAt(Path mountPoint) {
        String wanted = mountPoint.toString();
        String topmost = null;
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                String[] fields = line.split(" ", 6);
                if (fields.length > 4 && line.indexOf(" - ") > 0 && unescape(fields[4]).equals(wanted)) {
                    topmost = line;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(topmost);
    }

    /** mountinfo writes space, tab, newline and backslash as a backslash and three octal digits. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && isOctal(raw, i + 1)) {
                out.write((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
                i += 3;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] raw, int from) {
        if (from + 3 > raw.length) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (raw[i] < '0' || raw[i] > '7') {
                return false;
            }
        }
        return true;
    }
}
