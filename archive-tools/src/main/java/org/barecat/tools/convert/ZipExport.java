package org.barecat.tools.convert;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.barecat.core.Archive;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Totals;

import java.io.IOException;
import java.io.OutputStream;
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
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            out.setMethod(ZipArchiveOutputStream.STORED);
            out.setEncoding("UTF-8");
            Totals totals = ExportWalk.run(archive, listener, rootDir, new ExportWalk.Format() {
                @Override
                public void begin(Entry e, String name, long mtimeNs) throws IOException {
                    ZipArchiveEntry z = new ZipArchiveEntry(name);
                    z.setTime(mtimeNs / 1_000_000L);
                    if (e instanceof FileEntry f) {
                        z.setSize(f.size());
                    }
                    out.putArchiveEntry(z);
                }

                @Override
                public OutputStream body() {
                    return out;
                }

                @Override
                public void end() throws IOException {
                    out.closeArchiveEntry();
                }
            });
            out.finish();
            return totals;
        }
    }
}
