package org.barecat.core;

import org.barecat.core.ArchiveIndex.Table;
import org.barecat.core.internal.IndexRows;
import org.barecat.core.internal.IndexSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * An open Barecat archive, read-only: lookups, listings and reads. Safe to share between threads:
 * each lookup or listing page takes a pooled index connection of its own, reads are positional.
 *
 * <pre>{@code
 * try (Archive archive = Archive.open(Path.of("data.barecat"))) {
 *     FileEntry f = (FileEntry) archive.lookup("train/cat/001.jpg").orElseThrow();
 *     ByteBuffer bytes = ByteBuffer.allocate((int) f.size());
 *     archive.read(f, 0, bytes);
 * }
 * }</pre>
 */
public final class Archive implements ArchiveView {
    private static final Logger log = LoggerFactory.getLogger(Archive.class);

    private final ArchiveFiles files;
    private final String name;
    private final ArchiveIndex index;
    private final Shards shards;
    private final long indexMtimeNs;
    private volatile ArchiveStats stats;

    private Archive(ArchiveFiles files, String name, ArchiveIndex index, Shards shards, long indexMtimeNs) {
        this.files = files;
        this.name = name;
        this.index = index;
        this.shards = shards;
        this.indexMtimeNs = indexMtimeNs;
    }

    /**
     * Opens the archive the user named ({@code data.barecat}, or the legacy
     * {@code data.barecat-sqlite-index}) and checks that it is readable: a Barecat index of a known
     * schema version and every shard the index refers to.
     *
     * @throws java.nio.file.NoSuchFileException when no such archive exists
     * @throws ArchiveFormatException            when it is not a readable Barecat archive
     */
    public static Archive open(Path named) throws IOException {
        ArchiveFiles files = ArchiveFiles.locate(named);
        ArchiveIndex index = ArchiveIndex.open(files.index());
        try {
            long lastShard = index.query(Archive::lastShard);
            requireShards(files, index, lastShard);
            ShardReader shards = new ShardReader(files, (int) lastShard);
            Archive archive = new Archive(files, files.index().toString(), index, shards, mtimeNs(files.index()));
            archive.warnAboutShortShards();
            return archive;
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /**
     * Opens an archive whose index is the local file {@code localIndex} and whose shards are read
     * through {@code shards} (an archive on object storage: the index a local copy, the shards
     * remote). Checked as {@link #open(Path)} checks a local archive; every shard the index refers
     * to is opened.
     *
     * @param name its index's URL (the object found: it may have the legacy name), for messages and the mount's name
     * @throws ArchiveFormatException when the index is not a readable Barecat index or a shard is missing
     */
    public static Archive open(Path localIndex, String name, ShardSource.Opener shards) throws IOException {
        ArchiveIndex index = ArchiveIndex.open(localIndex);
        List<ShardSource> sources = new ArrayList<>();
        try {
            long lastShard = index.query(Archive::lastShard);
            if (lastShard >= Integer.MAX_VALUE) {
                throw new ArchiveFormatException(localIndex, "more shards than this reader can open");
            }
            for (int shard = 0; shard <= lastShard; shard++) {
                try {
                    sources.add(shards.open(shard));
                } catch (NoSuchFileException e) {
                    throw new IOException(e.getFile() + ": missing shard (the index has files up to shard "
                            + lastShard + ")", e);
                }
            }
            ArchiveFiles files = new ArchiveFiles(localIndex, localIndex);
            Archive archive = new Archive(files, name, index, new SourceShards(sources), mtimeNs(localIndex));
            archive.warnAboutShortShards();
            return archive;
        } catch (IOException | RuntimeException e) {
            for (ShardSource source : sources) {
                source.close();
            }
            index.close();
            throw e;
        }
    }

    /**
     * Checks the SQLite file {@code index} with {@code PRAGMA quick_check}: for a copy of an index that
     * came over a network, before it is used.
     *
     * @throws ArchiveFormatException naming {@code index} and SQLite's first complaint
     */
    public static void checkIndex(Path index) throws IOException {
        try (java.sql.Connection c = IndexSchema.openReadOnly(index);
             java.sql.Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA quick_check(1)")) {
            String result = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(result)) {
                throw new ArchiveFormatException(index, "damaged SQLite file (" + result + ")");
            }
        } catch (SQLException e) {
            throw new ArchiveFormatException(index, "not a readable SQLite file (" + e.getMessage() + ")", e);
        }
    }

    private static long mtimeNs(Path file) throws IOException {
        java.time.Instant t = Files.getLastModifiedTime(file).toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * The highest shard number the index uses, or -1 when it has no files. Only numeric values count
     * ({@code shard < ''} leaves out text and blobs); a non-integer number counts as the integer below it.
     */
    private static long lastShard(IndexConnection c) throws SQLException {
        try (ResultSet rs = c.prepare("SELECT max(shard) FROM files WHERE shard < ''").executeQuery()) {
            Object max = rs.next() ? rs.getObject(1) : null;
            if (max instanceof Double d) {
                return d < 0 ? -1 : d >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(d);
            }
            return max instanceof Number n ? Math.max(-1, n.longValue()) : -1;
        }
    }

    /**
     * Every shard from 0 to {@code lastShard} must exist: the first missing one fails the open. Checked
     * one by one from 0, so an absurd shard number in one row costs nothing.
     */
    private static void requireShards(ArchiveFiles files, ArchiveIndex index, long lastShard) throws IOException {
        for (long shard = 0; shard <= lastShard; shard++) {
            Path file = files.shard(shard);
            if (!Files.exists(file)) {
                long missing = shard;
                boolean used = shard == lastShard || index.query(c -> {
                    PreparedStatement q = c.prepare("SELECT 1 FROM files WHERE shard = ? LIMIT 1");
                    q.setLong(1, missing);
                    try (ResultSet rs = q.executeQuery()) {
                        return rs.next();
                    }
                });
                throw new ArchiveFormatException(file, used ? "missing shard (the index has files in it)"
                        : "missing shard (the index has files up to shard " + lastShard + ")");
            }
            if (shard >= Integer.MAX_VALUE) {
                throw new ArchiveFormatException(file, "more shards than this reader can open");
            }
        }
    }

    /** Logs shards whose last file runs past the shard's end: reads of those files will fail. */
    private void warnAboutShortShards() throws IOException {
        for (int shard = 0; shard < shards.count(); shard++) {
            int s = shard;
            long end = index.query(c -> {
                PreparedStatement q = c.prepare(
                        "SELECT offset + size FROM files WHERE shard = ? ORDER BY offset DESC LIMIT 1");
                q.setInt(1, s);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            });
            if (end > shards.size(shard)) {
                log.warn("{}: shard is {} bytes but the index has a file up to byte {}; such files will fail to read",
                        shards.name(shard), shards.size(shard), end);
            }
        }
    }

    ArchiveIndex index() {
        return index;
    }

    /** The shards as opened: the local files the index uses, or the sources of an archive read from elsewhere. */
    Shards shards() {
        return shards;
    }

    /**
     * The files the archive consists of: its index and shards. For an archive opened through
     * {@link ShardSource}s, the local copy of its index (and no local shards).
     */
    public ArchiveFiles files() {
        return files;
    }

    /** Its index's path, or the URL of the index of an archive read from elsewhere. */
    @Override
    public String name() {
        return name;
    }

    /** Modification time of the index file (its local copy's: that of the remote object), in ns: the default mtime of entries that have none. */
    @Override
    public long indexMtimeNs() {
        return indexMtimeNs;
    }

    /**
     * The file or directory at {@code path} (an archive path, see {@link ArchivePaths#normalize}).
     * A directory without a {@code dirs} row is found when some entry lies below it.
     */
    @Override
    public Optional<Entry> lookup(String path) throws IOException {
        return Optional.ofNullable(index.query(c -> {
            PreparedStatement f = c.prepare("SELECT " + IndexRows.FILE_COLUMNS + ", "
                    + (index.filesHaveRows() ? "rowid" : FileEntry.NO_ROW) + " FROM files WHERE path = ?");
            f.setString(1, path);
            try (ResultSet rs = f.executeQuery()) {
                if (rs.next() && !path.isEmpty()) { // a files row with an empty path must not hide the root
                    return IndexRows.readFile(rs, 1, index.utf8(), rs.getLong(IndexRows.FILE_COLUMN_COUNT + 1));
                }
            }
            PreparedStatement d = c.prepare("SELECT " + IndexRows.DIR_COLUMNS + " FROM dirs WHERE path = ?");
            d.setString(1, path);
            try (ResultSet rs = d.executeQuery()) {
                if (rs.next()) {
                    return IndexRows.readDir(rs, 1, index.utf8());
                }
            }
            if (path.isEmpty() || hasDescendant(c, Table.FILES, path) || hasDescendant(c, Table.DIRS, path)) {
                return DirEntry.implicit(path);
            }
            return null;
        }));
    }

    /**
     * Whether {@link #lookup} finds {@code path}, in one statement: for a union, which asks most of its
     * archives about paths they do not have.
     */
    boolean has(String path) throws IOException {
        if (path.isEmpty()) {
            return true;
        }
        return index.query(c -> {
            PreparedStatement s = c.prepare("SELECT EXISTS (SELECT 1 FROM files WHERE path = ?1)"
                    + " OR EXISTS (SELECT 1 FROM dirs WHERE path = ?1)"
                    + " OR EXISTS (SELECT 1 FROM files WHERE path > ?2 AND path < ?3)"
                    + " OR EXISTS (SELECT 1 FROM dirs WHERE path > ?2 AND path < ?3)");
            s.setString(1, path);
            s.setString(2, IndexRows.descendantPrefix(path));
            s.setString(3, IndexRows.descendantUpperBound(path));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        });
    }

    /** Whether files have rows that {@link #file(long)} finds them by (see {@link FileEntry#row}). */
    public boolean hasFileRows() {
        return index.filesHaveRows();
    }

    /**
     * The file whose {@link FileEntry#row} is {@code row}, as {@link #lookup} gives it; empty when there
     * is none, or when files have no rows ({@link #hasFileRows}).
     */
    @Override
    public Optional<FileEntry> file(long row) throws IOException {
        if (!index.filesHaveRows()) {
            return Optional.empty();
        }
        return Optional.ofNullable(index.query(c -> {
            PreparedStatement f = c.prepare("SELECT " + IndexRows.FILE_COLUMNS + " FROM files WHERE rowid = ?");
            f.setLong(1, row);
            try (ResultSet rs = f.executeQuery()) {
                return rs.next() ? IndexRows.readFile(rs, 1, index.utf8(), row) : null;
            }
        }));
    }

    private static boolean hasDescendant(IndexConnection c, Table table, String dir) throws java.sql.SQLException {
        PreparedStatement s = c.prepare("SELECT 1 FROM " + table.name + " WHERE path > ? AND path < ? LIMIT 1");
        s.setString(1, IndexRows.descendantPrefix(dir));
        s.setString(2, IndexRows.descendantUpperBound(dir));
        try (ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    /** Streams the children of directory {@code dir} (not including {@code .} and {@code ..}). */
    @Override
    public DirectoryListing<Entry> list(String dir) {
        return new DirectoryListing<>(index, DirectoryListing.ENTRIES, dir, false);
    }

    /** Streams the subdirectories of directory {@code dir} (never reading its files' rows). */
    @Override
    public DirectoryListing<Entry> listDirectories(String dir) {
        return new DirectoryListing<>(index, DirectoryListing.ENTRIES, dir, true);
    }

    /**
     * Streams the names and kinds of the children of {@code dir}, in the order of {@link #list}:
     * a few times cheaper per child than whole entries, for listings that need nothing else.
     */
    @Override
    public DirectoryListing<Child> listChildren(String dir) {
        return new DirectoryListing<>(index, DirectoryListing.CHILDREN, dir, false);
    }

    @Override
    public EntryScan scanBelow(String dir, String after) {
        return IndexScan.below(this, dir, after);
    }

    /**
     * Reads up to {@code dst.remaining()} bytes of {@code file} starting at {@code position}, never
     * past the file's end.
     *
     * @return the number of bytes read, 0 at or past the end of the file
     * @throws IOException when the file's bytes cannot be had: its row is invalid or points past its
     *                     shard's end (see {@link #checkLocation}), or the shard cannot be read
     */
    @Override
    public int read(FileEntry file, long position, ByteBuffer dst) throws IOException {
        checkLocation(file);
        long size = file.size();
        if (position >= size || !dst.hasRemaining()) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        ByteBuffer window = dst.slice(dst.position(), n);
        shards.readFully(file.location().shard(), file.location().offset() + position, window);
        dst.position(dst.position() + n);
        return n;
    }

    /** What {@link #readWhole}'s window is aligned to. */
    public static final int DIRECT_ALIGNMENT = ShardReader.DIRECT_ALIGNMENT;

    /**
     * Reads all of {@code file} by direct I/O, around the page cache, where its shard's file system
     * allows: for a reader that keeps the bytes in a cache of its own (a mount's page cache), one copy
     * in memory instead of two, and none made on the way. {@code window} starts at an address aligned
     * to {@link #DIRECT_ALIGNMENT} and has room for the file's size plus twice that; the bytes land in
     * it where their alignment puts them.
     *
     * @return where in {@code window} the file's bytes start, or -1, having read nothing, when its shard
     *         takes no direct I/O (then {@link #read} it)
     * @throws IOException as {@link #read} does
     */
    @Override
    public int readWhole(FileEntry file, ByteBuffer window) throws IOException {
        checkLocation(file);
        return shards.readDirect(file.location().shard(), file.location().offset(), (int) file.size(), window);
    }

    /**
     * Checks that {@code file}'s row can give the file's bytes: shard, offset and size are
     * non-negative integers and the bytes lie wholly inside the shard (as long as it was when the
     * archive was opened). Cheap: no I/O.
     *
     * @throws IOException whose message starts with the file's path and says what is wrong
     */
    @Override
    public void checkLocation(FileEntry file) throws IOException {
        int shard = file.location().shard();
        long offset = file.location().offset();
        long size = file.size();
        if (shard < 0 || offset < 0 || size < 0 || offset > Long.MAX_VALUE - size || shard >= shards.count()) {
            throw new IOException(file.path() + ": invalid location in the index (shard " + describeShard(shard)
                    + ", offset " + describe(offset) + ", size " + describe(size) + ")");
        }
        if (offset + size > shards.size(shard)) {
            throw new EOFException(file.path() + ": bytes " + offset + " to " + (offset + size)
                    + " lie past the end of " + shards.name(shard) + " (" + shards.size(shard) + " bytes)");
        }
    }

    private static String describe(long value) {
        return value == IndexRows.NOT_AN_INTEGER ? "not an integer" : Long.toString(value);
    }

    private static String describeShard(int shard) {
        return shard == IndexRows.SHARD_NOT_AN_INTEGER ? "not an integer"
                : shard == IndexRows.SHARD_OUT_OF_RANGE ? "out of range" : Integer.toString(shard);
    }

    /** CRC-32C of {@code file}'s bytes as they are in its shard, for comparing with {@link FileEntry#crc32c()}. */
    @Override
    public long checksum(FileEntry file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(1, file.size())));
        for (long position = 0; position < file.size(); ) {
            buffer.clear();
            int n = read(file, position, buffer);
            crc.update(buffer.flip());
            position += n;
        }
        return crc.getValue();
    }

    /** Totals for the whole archive, from the root's statistics when the index has them. */
    @Override
    public ArchiveStats stats() throws IOException {
        ArchiveStats s = stats;
        if (s == null) {
            s = index.query(c -> {
                long fileCount;
                long bytes;
                try (ResultSet rs = c.prepare("SELECT num_files_tree, size_tree FROM dirs WHERE path = ''")
                        .executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        fileCount = rs.getLong(1);
                        bytes = rs.getLong(2);
                    } else {
                        try (ResultSet all = c.prepare("SELECT count(*), total(size) FROM files").executeQuery()) {
                            all.next();
                            fileCount = all.getLong(1);
                            bytes = all.getLong(2);
                        }
                    }
                }
                long dirCount;
                try (ResultSet rs = c.prepare("SELECT count(*) FROM dirs").executeQuery()) {
                    dirCount = rs.next() ? rs.getLong(1) : 0;
                }
                return new ArchiveStats(fileCount, dirCount, bytes, shards.totalSize(), shards.count());
            });
            stats = s;
        }
        return s;
    }

    /** {@code file}'s own location, in this archive. */
    @Override
    public Origin origin(FileEntry file) {
        return new Origin(this, file.location());
    }

    @Override
    public void close() throws IOException {
        index.close();
        shards.close();
    }
}
