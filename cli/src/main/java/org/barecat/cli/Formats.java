package org.barecat.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text forms of modes, times and sizes, as ls and du print them. */
final class Formats {
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH);

    private Formats() {
    }

    /**
     * The original's ls mode column: {@code d}, {@code l} or {@code -} from the stored mode, then nine
     * permission letters (setuid, setgid and sticky are not shown); ten dashes for a NULL mode.
     */
    static String mode(Integer mode) {
        if (mode == null) {
            return "----------";
        }
        int type = mode & 0170000;
        StringBuilder s = new StringBuilder(10).append(type == 0040000 ? 'd' : type == 0120000 ? 'l' : '-');
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return s.toString();
    }

    /**
     * The original's ls time column, in the local time zone: month, zero-padded day and time in the
     * current calendar year, else month, day and year; twelve spaces for a NULL mtime.
     */
    static String lsTime(Long mtimeNs, ZonedDateTime now) {
        if (mtimeNs == null) {
            return " ".repeat(12);
        }
        Instant t = Instant.ofEpochSecond(Math.floorDiv(mtimeNs, 1_000_000_000L), Math.floorMod(mtimeNs, 1_000_000_000L));
        ZonedDateTime z = t.atZone(now.getZone());
        return (z.getYear() == now.getYear() ? RECENT : OLD).format(z);
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

    /** browse's sizes, as the original's: {@code 512 B}, {@code 1.5 KB}, then MB, GB and TB (powers of 1024). */
    static String browseSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes / 1024.0;
        for (String unit : new String[] {"KB", "MB", "GB"}) {
            if (v < 1024) {
                return oneDecimal(v) + " " + unit;
            }
            v /= 1024;
        }
        return oneDecimal(v) + " TB";
    }

    /**
     * ncdu's sizes, as the original's: bytes right-aligned in 5 below 1024 ({@code "  512 B"}), else a
     * value below 1000 in 5 with one decimal and KiB, MiB, GiB, TiB or PiB ({@code "  1.5 KiB"}).
     */
    static String ncduSize(long bytes) {
        if (bytes < 1024) {
            return String.format("%5d B", bytes);
        }
        double v = bytes;
        for (char unit : "KMGTP".toCharArray()) {
            v /= 1024;
            if (v < 1000) {
                return String.format("%5s %ciB", oneDecimal(v), unit);
            }
        }
        return String.format("%5s EiB", oneDecimal(v)); // as the original: the value in PiB
    }

    /** ncdu's file counts, 6 wide: blank for 0, the number below 1000, else thousands or millions ({@code "  1.5K"}). */
    static String ncduCount(long count) {
        if (count == 0) {
            return "      ";
        }
        if (count < 1000) {
            return String.format("%6d", count);
        }
        return count < 1_000_000 ? String.format("%5sK", oneDecimal(count / 1000.0))
                : String.format("%5sM", oneDecimal(count / 1_000_000.0));
    }

    /** Python's {@code f'{v:.1f}'}: the double's exact binary value rounded half to even, so 0.25 is 0.2. */
    static String oneDecimal(double v) {
        return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Path as find and du print it: the root as {@code .}. */
    static String displayPath(String archivePath) {
        return archivePath.isEmpty() ? "." : archivePath;
    }
}
