package org.barecat.cli;

import org.barecat.core.DirEntry;
import org.barecat.core.Entry;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text forms of modes, times and sizes, as ls and du print them. */
final class Formats {
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM ppd  yyyy", Locale.ENGLISH);
    private static final long SIX_MONTHS_SECONDS = 31556952L / 2;

    private Formats() {
    }

    /** {@code drwxr-xr-x}, {@code -rw-r--r--}: type from the entry, bits from its mode (defaults when NULL). */
    static String mode(Entry e) {
        boolean dir = e instanceof DirEntry;
        int m = e.attributes().permissionsOr(dir ? 0755 : 0644);
        StringBuilder s = new StringBuilder(10).append(dir ? 'd' : '-');
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        special(s, 3, (m & 04000) != 0, 's');
        special(s, 6, (m & 02000) != 0, 's');
        special(s, 9, (m & 01000) != 0, 't');
        return s.toString();
    }

    private static void special(StringBuilder s, int at, boolean set, char c) {
        if (set) {
            s.setCharAt(at, s.charAt(at) == '-' ? Character.toUpperCase(c) : c);
        }
    }

    /** ls's time column: month, day and time for the last six months, else month, day and year. */
    static String lsTime(long mtimeNs, Instant now, ZoneId zone) {
        Instant t = Instant.ofEpochSecond(Math.floorDiv(mtimeNs, 1_000_000_000L), Math.floorMod(mtimeNs, 1_000_000_000L));
        ZonedDateTime z = t.atZone(zone);
        boolean recent = !t.isAfter(now) && t.isAfter(now.minusSeconds(SIX_MONTHS_SECONDS));
        return (recent ? RECENT : OLD).format(z);
    }

    /** du's default unit: 1024-byte blocks, rounded up. */
    static String kibibytes(long bytes) {
        return Long.toString((bytes + 1023) / 1024);
    }

    /**
     * du -h and ls -h: powers of 1024 with a one-letter suffix, rounded up; one decimal below 10
     * ({@code 1.5K}, {@code 10K}, {@code 4.0M}); plain bytes below 1024.
     */
    static String human(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        String units = "KMGTPE";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        if (v < 10) {
            double tenths = Math.ceil(v * 10 - 1e-9);
            if (tenths >= 100) {
                return "10" + units.charAt(u);
            }
            return (long) tenths / 10 + "." + (long) tenths % 10 + units.charAt(u);
        }
        long whole = (long) Math.ceil(v - 1e-9);
        if (whole >= 1024 && u < units.length() - 1) {
            return "1.0" + units.charAt(u + 1);
        }
        return whole + String.valueOf(units.charAt(u));
    }

    /** Path as find and du print it: the root as {@code .}. */
    static String displayPath(String archivePath) {
        return archivePath.isEmpty() ? "." : archivePath;
    }
}
