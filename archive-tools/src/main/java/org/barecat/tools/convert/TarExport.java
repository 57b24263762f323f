package org.barecat.tools.convert;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.barecat.core.Archive;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Totals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes an archive's directories and files as a POSIX (pax) tar stream, in path order so every
 * directory comes before its contents, with names, modes, owners and nanosecond mtimes. Entries
 * whose paths no file system could hold are left out and reported. Memory does not depend on the
 * size of the archive.
 */
public final class TarExport {
    private static final int DEFAULT_FILE_MODE = 0644;
    private static final int DEFAULT_DIR_MODE = 0755;

    private TarExport() {
    }

    /**
     * Writes the whole archive to {@code out} as tar (not closing {@code out}'s underlying stream
     * beyond finishing the tar), each name under {@code rootDir}/ when that is not empty (no entry is
     * written for {@code rootDir} itself, as the original's {@code --root-dir}).
     */
    public static Totals write(Archive archive, OutputStream out, ProgressListener listener, String rootDir)
            throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        // long and non-ASCII names and nanosecond mtimes go into pax records written here (commons-compress
        // would round mtimes to 100 ns); big numbers use the base-256 encoding GNU tar reads
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        tar.setAddPaxHeadersForNonAsciiNames(false);
        Totals totals = ExportWalk.run(archive, listener, rootDir, new ExportWalk.Format() {
            @Override
            public void begin(Entry e, String name, long mtime) throws IOException {
                boolean directory = e instanceof DirEntry;
                Map<String, String> pax = new LinkedHashMap<>();
                String headerName = ustarName(name);
                if (!headerName.equals(name)) {
                    pax.put("path", name);
                }
                if (mtime % 1_000_000_000L != 0) {
                    pax.put("mtime", paxTime(mtime));
                }
                if (!pax.isEmpty()) {
                    writePax(tar, headerName, pax, Math.floorDiv(mtime, 1_000_000_000L));
                }
                Attributes a = e.attributes();
                TarArchiveEntry t = new TarArchiveEntry(headerName, directory ? TarConstants.LF_DIR : TarConstants.LF_NORMAL);
                t.setMode(a.permissionsOr(directory ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE));
                t.setUserId(a.uid() == null ? 0 : a.uid() & 0xffffffffL);
                t.setGroupId(a.gid() == null ? 0 : a.gid() & 0xffffffffL);
                t.setLastModifiedTime(FileTime.from(Math.floorDiv(mtime, 1_000_000_000L), TimeUnit.SECONDS));
                if (e instanceof FileEntry f) {
                    t.setSize(f.size());
                }
                tar.putArchiveEntry(t);
            }

            @Override
            public OutputStream body() {
                return tar;
            }

            @Override
            public void end() throws IOException {
                tar.closeArchiveEntry();
            }
        });
        tar.finish();
        tar.flush();
        return totals;
    }

    /** The name for the ustar header: the name itself when it is short ASCII, else an ASCII stand-in. */
    static String ustarName(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 99; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        String ascii = b.toString();
        if (ascii.equals(name)) {
            return name;
        }
        return name.endsWith("/") && !ascii.endsWith("/") ? ascii + "/" : ascii;
    }

    /** Writes an extended header ('x') whose records apply to the entry that follows. */
    private static void writePax(TarArchiveOutputStream tar, String headerName, Map<String, String> records,
                                 long mtimeSeconds) throws IOException {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> r : records.entrySet()) {
            String text = " " + r.getKey() + "=" + r.getValue() + "\n";
            int textBytes = text.getBytes(StandardCharsets.UTF_8).length;
            int length = textBytes + 1;
            while (length != textBytes + Integer.toString(length).length()) {
                length = textBytes + Integer.toString(length).length();
            }
            body.append(length).append(text);
        }
        byte[] data = body.toString().getBytes(StandardCharsets.UTF_8);
        String base = headerName.endsWith("/") ? headerName.substring(0, headerName.length() - 1) : headerName;
        String paxName = "PaxHeaders/" + base.substring(base.lastIndexOf('/') + 1);
        TarArchiveEntry x = new TarArchiveEntry(paxName.length() > 99 ? paxName.substring(0, 99) : paxName,
                TarConstants.LF_PAX_EXTENDED_HEADER_LC);
        x.setSize(data.length);
        x.setLastModifiedTime(FileTime.from(mtimeSeconds, TimeUnit.SECONDS)); // the same bytes on every run
        tar.putArchiveEntry(x);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** A pax time value: seconds, a dot and nine digits of nanoseconds (floor, also before 1970). */
    static String paxTime(long ns) {
        long seconds = Math.floorDiv(ns, 1_000_000_000L);
        long fraction = Math.floorMod(ns, 1_000_000_000L);
        return seconds + "." + String.format("%09d", fraction);
    }
}
