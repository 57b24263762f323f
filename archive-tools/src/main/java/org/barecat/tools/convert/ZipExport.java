package org.barecat.tools.convert;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
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
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Writes an archive's directories and files as a zip file, stored without compression (as the
 * original writes them: image datasets gain nothing from deflate, and readers can seek into stored
 * entries), in path order, with mtimes; zip keeps no owners.
 */
public final class ZipExport {
    private ZipExport() {
    }

    /** Writes the whole archive to the zip file {@code zip}, each name under {@code rootDir}/ when that is not empty. */
    public static Totals write(Archive archive, Path zip, ProgressListener listener, String rootDir) throws IOException {
        ArchiveStats stats = archive.stats();
        listener.total(stats.fileCount(), stats.totalFileBytes());
        long files = 0;
        long dirs = 0;
        long bytes = 0;
        long problems = 0;
        long defaultMtime = archive.indexMtimeNs();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.setMethod(ZipArchiveOutputStream.STORED);
            out.setEncoding("UTF-8");
            IndexScan scan = IndexScan.below(archive, "");
            for (Entry e = scan.next(); e != null; e = scan.next()) {
                if (!ArchivePaths.isCanonical(e.path())) {
                    problems++;
                    listener.problem(e.path(), "left out: not a valid path (empty, '.' or '..' component, or leading '/')");
                    continue;
                }
                String path = rootDir.isEmpty() ? e.path() : rootDir + "/" + e.path();
                boolean directory = e instanceof DirEntry;
                ZipArchiveEntry z = new ZipArchiveEntry(directory ? path + "/" : path);
                Long mtime = e.attributes().mtimeNs();
                z.setTime((mtime == null ? defaultMtime : mtime) / 1_000_000L);
                if (directory) {
                    out.putArchiveEntry(z);
                    out.closeArchiveEntry();
                    dirs++;
                    continue;
                }
                FileEntry f = (FileEntry) e;
                z.setSize(f.size());
                out.putArchiveEntry(z);
                TarExport.copyBytes(archive, f, buffer, out);
                out.closeArchiveEntry();
                files++;
                bytes += f.size();
                listener.done(f.path(), f.size());
            }
            out.finish();
        }
        return new Totals(files, dirs, bytes, 0, problems);
    }
}
