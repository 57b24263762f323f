package org.barecat.tools.write;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.internal.SqliteLibrary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.Properties;

/**
 * An index over an uncompressed tar or zip whose bytes stay where they are ({@code convert --wrap}):
 * the archive's one shard is a symbolic link to the tar or zip, and each file's row points at its
 * data inside it (after its headers), without a checksum. The index is written under a temporary
 * name and renamed into place last, after the link. Such an archive cannot be changed in place: its
 * shard is not its own.
 */
public final class ArchiveWrap {
    private ArchiveWrap() {
    }

    /**
     * Wraps {@code input} (a {@code .tar} or {@code .zip}) as the archive {@code output}.
     *
     * @throws IOException naming the input when it is compressed, encrypted or not a tar or zip
     */
    public static void wrap(Path input, Path output, boolean overwrite) throws IOException {
        refuseCompressed(input);
        ArchiveFiles files = ArchiveFiles.forNewArchive(output);
        if (!overwrite && (Files.exists(files.index()) || Files.exists(files.shard(0)))) {
            throw new java.nio.file.FileAlreadyExistsException(output.toString(), null, "exists (use -f to replace it)");
        }
        Path temporary = files.index().resolveSibling(files.index().getFileName() + ".incomplete");
        Files.deleteIfExists(temporary);
        try (Connection c = SqliteLibrary.connect("jdbc:sqlite:" + temporary, new Properties())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                Schema.create(s, Schema.UNLIMITED_SHARD_SIZE);
                s.execute("INSERT INTO dirs (path) VALUES ('')");
            }
            try (PreparedStatement file = c.prepareStatement("INSERT INTO files (path, shard, offset, size, mode, uid,"
                    + " gid, mtime_ns) VALUES (?, 0, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement dir = c.prepareStatement("INSERT INTO dirs (path, mode, uid, gid, mtime_ns)"
                         + " VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET mode = excluded.mode,"
                         + " uid = excluded.uid, gid = excluded.gid, mtime_ns = excluded.mtime_ns")) {
                boolean zip = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
                try {
                    if (zip) {
                        indexZip(input, file, dir);
                    } else {
                        indexTar(input, file, dir);
                    }
                } catch (IOException e) {
                    String m = String.valueOf(e.getMessage());
                    // commons-compress's own messages ("Corrupted TAR archive.") name no file
                    throw m.startsWith(input.toString()) ? e
                            : new IOException(input + ": not a readable " + (zip ? "zip" : "tar") + " file (" + m + ")", e);
                }
            }
            DirStatsScan.rebuild(c);
            Schema.useTriggers(c, true);
            c.commit();
        } catch (SQLException e) {
            Files.deleteIfExists(temporary);
            String m = String.valueOf(e.getMessage());
            throw new IOException(input + ": " + (m.contains("UNIQUE") ? "a name appears twice; wrap a tar with each"
                    + " name once, or convert without --wrap" : m), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.deleteIfExists(files.shard(0));
        Files.createSymbolicLink(files.shard(0), input.toAbsolutePath());
        Files.move(temporary, files.index(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void refuseCompressed(Path input) throws IOException {
        byte[] magic;
        try (InputStream in = Files.newInputStream(input)) {
            magic = in.readNBytes(6);
        }
        String kind = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b ? "gzip"
                : magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h' ? "bzip2"
                : magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' ? "xz"
                : magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 ? "zstd" : null;
        if (kind != null) {
            throw new IOException(input + ": compressed (" + kind + "); --wrap only works with uncompressed .tar or"
                    + " .zip files");
        }
    }

    private static void indexTar(Path input, PreparedStatement file, PreparedStatement dir) throws IOException,
            SQLException {
        try (TarFile tar = new TarFile(input)) {
            for (TarArchiveEntry e : tar.getEntries()) {
                String path = ArchivePaths.normalize(e.getName().replaceFirst("^(\\./)+", ""));
                if (path == null) {
                    throw new IOException(input + ": " + e.getName() + ": not a valid archive path");
                }
                long mtimeNs = e.getModTime().getTime() * 1_000_000L;
                if (e.isDirectory()) {
                    insert(dir, path, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), mtimeNs);
                } else if (e.isFile()) {
                    if (e.isSparse()) {
                        throw new IOException(input + ": " + e.getName() + ": a sparse file cannot be wrapped");
                    }
                    insert(file, path, e.getDataOffset(), e.getSize(), e.getMode() & 07777, e.getLongUserId(),
                            e.getLongGroupId(), mtimeNs);
                }
                // links, devices and FIFOs have no bytes to point at
            }
        }
    }

    private static void indexZip(Path input, PreparedStatement file, PreparedStatement dir) throws IOException,
            SQLException {
        try (ZipFile zip = ZipFile.builder().setPath(input).get()) {
            for (Enumeration<ZipArchiveEntry> en = zip.getEntriesInPhysicalOrder(); en.hasMoreElements(); ) {
                ZipArchiveEntry e = en.nextElement();
                if (e.getGeneralPurposeBit().usesEncryption()) {
                    throw new IOException(input + ": has encrypted entries; encrypted zip files cannot be wrapped");
                }
                String path = ArchivePaths.normalize(e.getName());
                if (path == null) {
                    throw new IOException(input + ": " + e.getName() + ": not a valid archive path");
                }
                long mtimeNs = e.getTime() * 1_000_000L;
                if (e.isDirectory()) {
                    insert(dir, path, null, null, null, mtimeNs);
                } else {
                    if (e.getMethod() != ZipArchiveEntry.STORED) {
                        throw new IOException(input + ": has compressed entries; make it with zip -0, or convert"
                                + " without --wrap");
                    }
                    insert(file, path, e.getDataOffset(), e.getSize(), null, null, null, mtimeNs);
                }
            }
        }
    }

    /** Inserts one row: {@code columns} are the statement's parameters, in order (null: NULL). */
    private static void insert(PreparedStatement s, Object... columns) throws SQLException {
        for (int i = 0; i < columns.length; i++) {
            s.setObject(i + 1, columns[i]);
        }
        s.executeUpdate();
    }
}
