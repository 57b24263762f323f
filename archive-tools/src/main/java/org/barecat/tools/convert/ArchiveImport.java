package org.barecat.tools.convert;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.X7875_NewUnix;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.barecat.core.Attributes;
import org.barecat.core.InvalidArchivePathException;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Tally;
import org.barecat.tools.Totals;
import org.barecat.tools.write.ArchiveSink;
import org.barecat.tools.write.NameDecoder;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Copies the files and directories of a tar (plain or compressed) or zip archive into an archive
 * being written, keeping names, modes, owners and mtimes. Tar input is read as one stream, so memory
 * does not depend on its size. Entries a Barecat archive cannot hold (symbolic and hard links,
 * devices, pipes) are skipped and reported, as are names with {@code ..} components and repeated
 * names (the first copy is kept). Names are read as bytes and decoded exactly ({@link NameDecoder}):
 * an entry whose name is not valid text is not stored, and two entries whose names differ only by
 * what is removed from them (a leading {@code ./} or {@code /}) are both reported.
 */
public final class ArchiveImport {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;

    private final ArchiveSink sink;
    private final ProgressListener listener;
    private final NameDecoder names;
    private final Tally tally = new Tally();
    /** What was removed from the front of the first file's name (e.g. {@code ./}); null before it. */
    private String usualPrefix;
    /** Stored path to original name, for the files whose removed prefix was not the usual one. */
    private final Map<String, String> unusualNames = new HashMap<>();

    private ArchiveImport(ArchiveSink sink, ProgressListener listener, NameDecoder names) {
        this.sink = sink;
        this.listener = listener;
        this.names = names;
    }

    /** Copies every entry of the tar stream {@code in} (compressed or not), whose names must be UTF-8. */
    public static Totals fromTar(InputStream in, ArchiveSink sink, ProgressListener listener) throws IOException {
        return fromTar(in, sink, listener, NameDecoder.UTF_8);
    }

    /**
     * Copies every entry of the tar stream {@code in} (compressed or not) into {@code sink}, decoding
     * names with {@code names} (pax records that hold a name as UTF-8 are read as UTF-8).
     *
     * @throws IOException when the tar cannot be read or the archive cannot be written
     */
    public static Totals fromTar(InputStream in, ArchiveSink sink, ProgressListener listener, NameDecoder names)
            throws IOException {
        ArchiveImport im = new ArchiveImport(sink, listener, names);
        TarRawNames raw = new TarRawNames(ArchiveFormat.decompressedTar(in));
        // ISO-8859-1 turns every header byte into one char, so header names come through as their bytes
        try (TarArchiveInputStream tar = new TarArchiveInputStream(raw, 1 << 16, 512, "ISO-8859-1", true)) {
            raw.startRecording();
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                im.tarEntry(tar, e, raw.nameOf(e));
                // the rest of an entry not stored, unrecorded: the next recording starts at the next header
                tar.transferTo(OutputStream.nullOutputStream());
                raw.startRecording();
            }
        }
        return im.result();
    }

    /** Copies every entry of the zip file {@code zip}, whose names must be UTF-8. */
    public static Totals fromZip(Path zip, ArchiveSink sink, ProgressListener listener) throws IOException {
        return fromZip(zip, sink, listener, NameDecoder.UTF_8);
    }

    /**
     * Copies every entry of the zip file {@code zip} into {@code sink}, decoding names with {@code names}
     * (names flagged UTF-8, and Info-ZIP's Unicode path fields, are read as UTF-8).
     */
    public static Totals fromZip(Path zip, ArchiveSink sink, ProgressListener listener, NameDecoder names)
            throws IOException {
        ArchiveImport im = new ArchiveImport(sink, listener, names);
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

    private void tarEntry(TarArchiveInputStream tar, TarArchiveEntry e, TarRawNames.RawName raw) throws IOException {
        String name = raw.declaredUtf8() ? names.decodeDeclaredUtf8(raw.bytes()) : names.decode(raw.bytes());
        if (name == null) {
            undecodable(raw.bytes());
            return;
        }
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
        byte[] raw = e.getRawName();
        String name = null;
        if (e.getExtraField(UnicodePathExtraField.UPATH_ID) instanceof UnicodePathExtraField unicode
                && unicode.getUnicodeName() != null && unicode.getNameCRC32() == crc32(raw)) {
            name = NameDecoder.utf8(unicode.getUnicodeName()); // Info-ZIP's UTF-8 copy of a name that is not flagged so
        }
        if (name == null) {
            name = e.getGeneralPurposeBit().usesUTF8ForNames() ? names.decodeDeclaredUtf8(raw) : names.decode(raw);
        }
        if (name == null) {
            undecodable(raw);
            return;
        }
        if (e.getPlatform() == ZipArchiveEntry.PLATFORM_FAT && name.indexOf('/') < 0) {
            name = name.replace('\\', '/'); // as commons-compress reads names made on DOS and Windows
        }
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

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private void undecodable(byte[] raw) {
        tally.problem();
        listener.undecodableName(NameDecoder.escape(raw), names.encodingName());
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
                tally.directory();
                listener.done(name, 0);
            } else {
                sink.add(path, data, size, a);
                remember(name, path);
                tally.file(size);
                listener.done(name, size);
            }
        } catch (InvalidArchivePathException e) {
            tally.problem();
            listener.problem(name, "refused: not a valid archive path (" + e.reason() + ")");
        } catch (FileAlreadyExistsException e) {
            if (e.getReason() != null && e.getReason().contains("as a")) {
                skip(name, e.getReason());
                return;
            }
            String first = unusualNames.getOrDefault(path, usualPrefix + path);
            if (first.equals(name)) {
                skip(name, "appears twice; the first copy was kept");
            } else {
                tally.problem();
                listener.problem(name, "not stored: " + first + " and " + name + " both become " + path);
            }
        } catch (EOFException e) {
            throw new EOFException(name + ": the input ends inside this entry (truncated archive?)");
        }
    }

    /**
     * Keeps what a stored file's name was, for a later entry that becomes the same path: only the
     * prefix removed, and only when it is not the first file's (usually all names or none start with
     * {@code ./}), so memory grows only with the files whose names are unusual.
     */
    private void remember(String name, String path) {
        String prefix = name.substring(0, name.length() - path.length());
        if (usualPrefix == null) {
            usualPrefix = prefix;
        } else if (!prefix.equals(usualPrefix)) {
            unusualNames.put(path, name);
        }
    }

    private void skip(String name, String reason) {
        tally.skipped();
        listener.skipped(name, reason);
    }
}
