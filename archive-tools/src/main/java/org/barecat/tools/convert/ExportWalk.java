package org.barecat.tools.convert;

import org.barecat.core.Archive;
import org.barecat.core.ArchivePaths;
import org.barecat.core.ArchiveStats;
import org.barecat.core.DirEntry;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.IndexScan;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Totals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * What tar and zip export share: every entry of an archive in path order (so each directory comes
 * before its contents), under {@code rootDir}/ when that is not empty, files with their bytes;
 * entries whose paths no file system could hold are left out and reported. Memory does not depend on
 * the size of the archive.
 */
final class ExportWalk {
    /** The format's side: one entry at a time. */
    interface Format {
        /**
         * Starts an entry: {@code name} ends in {@code /} for a directory; {@code mtimeNs} is the
         * stored one or the index's. A file's bytes then go to {@link #body()}.
         */
        void begin(Entry e, String name, long mtimeNs) throws IOException;

        OutputStream body();

        void end() throws IOException;
    }

    private ExportWalk() {
    }

    static Totals run(Archive archive, ProgressListener listener, String rootDir, Format format) throws IOException {
        ArchiveStats stats = archive.stats();
        listener.total(stats.fileCount(), stats.totalFileBytes());
        long files = 0;
        long dirs = 0;
        long bytes = 0;
        long problems = 0;
        long defaultMtime = archive.indexMtimeNs();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        IndexScan scan = IndexScan.below(archive, "");
        for (Entry e = scan.next(); e != null; e = scan.next()) {
            if (!ArchivePaths.isCanonical(e.path())) {
                problems++;
                listener.problem(e.path(), "left out: not a valid path (empty, '.' or '..' component, or leading '/')");
                continue;
            }
            String path = rootDir.isEmpty() ? e.path() : rootDir + "/" + e.path();
            Long mtime = e.attributes().mtimeNs();
            format.begin(e, e instanceof DirEntry ? path + "/" : path, mtime == null ? defaultMtime : mtime);
            if (e instanceof FileEntry f) {
                copyBytes(archive, f, buffer, format.body());
                files++;
                bytes += f.size();
            } else {
                dirs++;
            }
            format.end();
            listener.done(e.path(), e instanceof FileEntry f ? f.size() : 0);
        }
        return new Totals(files, dirs, bytes, 0, problems);
    }

    /** Writes {@code f}'s bytes to {@code out} through {@code buffer} (an array-backed one). */
    private static void copyBytes(Archive archive, FileEntry f, ByteBuffer buffer, OutputStream out) throws IOException {
        for (long pos = 0; pos < f.size(); ) {
            buffer.clear();
            int n = archive.read(f, pos, buffer);
            if (n <= 0) {
                throw new IOException(f.path() + ": the archive ended early");
            }
            out.write(buffer.array(), 0, n);
            pos += n;
        }
    }
}
