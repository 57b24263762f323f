package org.barecat.core;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.X7875_NewUnix;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Copies the files and directories of a tar (plain or compressed) or zip archive into an archive
 * being written, keeping names, modes, owners and mtimes. Tar input is read as one stream, so memory
 * does not depend on its size. Entries a Barecat archive cannot hold (symbolic and hard links,
 * devices, pipes) are skipped and reported, as are names with {@code ..} components and repeated
 * names (the first copy is kept).
 */
public final class ArchiveImport {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;


    private final ArchiveSink sink;
    private final ProgressListener listener;
    private final Tally tally = new Tally();

    private ArchiveImport(ArchiveSink sink, ProgressListener listener) {
        this.sink = sink;
        this.listener = listener;
    }

    /**
     * Copies every entry of the tar stream {@code in} (compressed or not) into {@code sink}.
     *
     * @throws IOException when the tar cannot be read or the archive cannot be written
     */
    public static Totals fromTar(InputStream in, ArchiveSink sink, ProgressListener listener) throws IOException {
        ArchiveImport im = new ArchiveImport(sink, listener);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(ArchiveFormat.decompressedTar(in), 1 << 16,
                512, "UTF-8", true)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                im.tarEntry(tar, e);
            }
        }
        return im.result();
    }

    /** Copies every entry of the zip file {@code zip} into {@code sink}. */
    public static Totals fromZip(Path zip, ArchiveSink sink, ProgressListener listener) throws IOException {
        ArchiveImport im = new ArchiveImport(sink, listener);
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            Iterator<ZipArchiveEntry> entries = z.getEntriesInPhysicalOrder().asIterator();
            while (entries.hasNext()) {
                ZipArchiveEntry e = entries.next();
                im.zipEntry(z, e);
            }
        }
        return im.result();
    }

    private Totals result() {
        return tally.totals();
    }

    private void tarEntry(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException {
        String name = e.getName();
        String kind = e.isSymbolicLink() ? "symbolic link" : e.isLink() ? "hard link"
                : e.isCharacterDevice() ? "character device" : e.isBlockDevice() ? "block device"
                : e.isFIFO() ? "named pipe" : null;
        if (kind != null) {
            skip(name, kind + " not stored (a Barecat archive holds only files and directories)");
            return;
        }
        if (!e.isDirectory() && !e.isFile()) {
            skip(name, "tar entry of type '" + (char) e.getLinkFlag() + "' not stored");
            return;
        }
        Attributes a = new Attributes((e.getMode() & 07777) | (e.isDirectory() ? S_IFDIR : S_IFREG),
                (int) e.getLongUserId(), (int) e.getLongGroupId(), nanos(e.getLastModifiedTime()));
        long size = e.isSparse() ? e.getRealSize() : e.getSize();
        store(name, e.isDirectory(), a, size, tar);
    }

    private void zipEntry(ZipFile z, ZipArchiveEntry e) throws IOException {
        String name = e.getName();
        if (e.isUnixSymlink()) {
            skip(name, "symbolic link not stored (a Barecat archive holds only files and directories)");
            return;
        }
        int unixMode = e.getUnixMode();
        int type = unixMode & 0170000;
        if (type != 0 && type != S_IFDIR && type != S_IFREG) {
            skip(name, "special file not stored (a Barecat archive holds only files and directories)");
            return;
        }
        Integer mode = unixMode == 0 ? null : (unixMode & 07777) | (e.isDirectory() ? S_IFDIR : S_IFREG);
        Integer uid = null;
        Integer gid = null;
        if (e.getExtraField(new X7875_NewUnix().getHeaderId()) instanceof X7875_NewUnix owner) {
            uid = (int) owner.getUID();
            gid = (int) owner.getGID();
        }
        Attributes a = new Attributes(mode, uid, gid, nanos(e.getLastModifiedTime()));
        if (e.isDirectory()) {
            store(name, true, a, 0, null);
        } else {
            try (InputStream in = z.getInputStream(e)) {
                store(name, false, a, e.getSize(), in);
            }
        }
    }

    private static Long nanos(FileTime t) {
        return t == null ? null : t.to(TimeUnit.NANOSECONDS);
    }

    /** Stores one entry under its name made relative (tar's leading {@code /} and {@code ./} removed). */
    private void store(String name, boolean directory, Attributes a, long size, InputStream data) throws IOException {
        String path = name;
        while (path.startsWith("/") || path.startsWith("./")) {
            path = path.startsWith("/") ? path.substring(1) : path.substring(2);
        }
        if (path.equals(".")) {
            path = "";
        }
        try {
            if (directory) {
                sink.addDirectory(path, a);
                tally.directories++;
                listener.done(name, 0);
            } else {
                sink.add(path, data, size, a);
                tally.files++;
                tally.bytes += size;
                listener.done(name, size);
            }
        } catch (InvalidArchivePathException e) {
            tally.problems++;
            listener.problem(name, "refused: not a valid archive path (" + e.reason() + ")");
        } catch (FileAlreadyExistsException e) {
            skip(name, e.getReason() != null && e.getReason().contains("as a") ? e.getReason()
                    : "appears twice; the first copy was kept");
        } catch (EOFException e) {
            throw new EOFException(name + ": the input ends inside this entry (truncated archive?)");
        }
    }

    private void skip(String name, String reason) {
        tally.skipped++;
        listener.skipped(name, reason);
    }
}
