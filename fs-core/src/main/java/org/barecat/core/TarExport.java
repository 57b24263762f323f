package org.barecat.core;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.attribute.FileTime;
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

    /** What was written. */
    public record Result(long files, long directories, long bytes, long problems) {
    }

    private TarExport() {
    }

    /**
     * Writes the whole archive to {@code out} as tar (not closing {@code out}'s underlying stream
     * beyond finishing the tar).
     */
    public static Result write(Archive archive, OutputStream out, ProgressListener listener) throws IOException {
        ArchiveStats stats = archive.stats();
        listener.total(stats.fileCount(), stats.totalFileBytes());
        long files = 0;
        long dirs = 0;
        long bytes = 0;
        long problems = 0;
        long defaultMtime = archive.indexMtimeNs();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        IndexScan scan = IndexScan.below(archive, "");
        for (Entry e = scan.next(); e != null; e = scan.next()) {
            if (!ArchiveVerifier.isCanonical(e.path())) {
                problems++;
                listener.problem(e.path(), "left out: not a valid path (empty, '.' or '..' component, or leading '/')");
                continue;
            }
            boolean directory = e instanceof DirEntry;
            TarArchiveEntry t = directory ? new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR)
                    : new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL);
            Attributes a = e.attributes();
            t.setMode(a.permissionsOr(directory ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE));
            t.setUserId(a.uid() == null ? 0 : a.uid() & 0xffffffffL);
            t.setGroupId(a.gid() == null ? 0 : a.gid() & 0xffffffffL);
            long mtime = a.mtimeNs() == null ? defaultMtime : a.mtimeNs();
            t.setLastModifiedTime(FileTime.from(mtime, TimeUnit.NANOSECONDS));
            if (mtime % 1_000_000_000L != 0) {
                t.addPaxHeader("mtime", paxTime(mtime));
            }
            if (directory) {
                tar.putArchiveEntry(t);
                tar.closeArchiveEntry();
                dirs++;
                listener.done(e.path(), 0);
                continue;
            }
            FileEntry f = (FileEntry) e;
            t.setSize(f.size());
            tar.putArchiveEntry(t);
            long pos = 0;
            while (pos < f.size()) {
                buffer.clear();
                int n = archive.read(f, pos, buffer);
                if (n <= 0) {
                    throw new IOException(f.path() + ": the archive ended early");
                }
                tar.write(buffer.array(), 0, n);
                pos += n;
            }
            tar.closeArchiveEntry();
            files++;
            bytes += f.size();
            listener.done(f.path(), f.size());
        }
        tar.finish();
        tar.flush();
        return new Result(files, dirs, bytes, problems);
    }

    /** A pax time value: seconds, a dot and nine digits of nanoseconds (floor, also before 1970). */
    static String paxTime(long ns) {
        long seconds = Math.floorDiv(ns, 1_000_000_000L);
        long fraction = Math.floorMod(ns, 1_000_000_000L);
        return seconds + "." + String.format("%09d", fraction);
    }
}
