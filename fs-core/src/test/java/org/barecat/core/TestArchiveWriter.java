package org.barecat.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes archives for the tests of fs-core and of the modules above it, in the current layout (schema
 * 0.3: rowid tables, the generated {@code parent} columns, the indexes Barecat makes), with plain SQL.
 * Files' bytes go into shards in the order added, a new shard starting when the next file would pass
 * the size limit; directory rows, with their statistics, are written in path order at {@link #close}.
 * It is not the library's writer (archive-tools' {@code ArchiveWriter}, which fs-core cannot depend on):
 * no triggers, no temporary index, no checks beyond the path rules, so the reader is tested against
 * archives made independently of it.
 */
public final class TestArchiveWriter implements AutoCloseable {
    /** The tables and indexes of schema 0.3, as FORMAT.md gives them (without the statistics triggers). */
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE dirs (path TEXT NOT NULL,"
                    + " parent TEXT GENERATED ALWAYS AS (CASE WHEN path = '' THEN NULL ELSE"
                    + " rtrim(rtrim(path, replace(path, '/', '')), '/') END) VIRTUAL REFERENCES dirs (path) ON DELETE RESTRICT,"
                    + " num_subdirs INTEGER DEFAULT 0, num_files INTEGER DEFAULT 0,"
                    + " num_files_tree INTEGER DEFAULT 0, size_tree INTEGER DEFAULT 0,"
                    + " mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL,"
                    + " mtime_ns INTEGER DEFAULT NULL)",
            "CREATE TABLE files (path TEXT NOT NULL,"
                    + " parent TEXT GENERATED ALWAYS AS (rtrim(rtrim(path, replace(path, '/', '')), '/'))"
                    + " VIRTUAL NOT NULL REFERENCES dirs (path) ON DELETE RESTRICT,"
                    + " shard INTEGER NOT NULL, offset INTEGER NOT NULL, size INTEGER DEFAULT 0,"
                    + " crc32c INTEGER DEFAULT NULL,"
                    + " mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL,"
                    + " mtime_ns INTEGER DEFAULT NULL)",
            "CREATE TABLE config (key TEXT PRIMARY KEY, value_text TEXT DEFAULT NULL,"
                    + " value_int INTEGER DEFAULT NULL) WITHOUT ROWID",
            "CREATE UNIQUE INDEX idx_files_path ON files (path)",
            "CREATE UNIQUE INDEX idx_dirs_path ON dirs (path)",
            "CREATE INDEX idx_files_parent ON files (parent)",
            "CREATE INDEX idx_dirs_parent ON dirs (parent)",
            "CREATE INDEX idx_files_shard_offset ON files (shard, offset)");

    /** A directory's row: its attributes and statistics. */
    private static final class DirRow {
        Attributes attributes = Attributes.NONE;
        long numSubdirs;
        long numFiles;
        long numFilesTree;
        long sizeTree;
    }

    private final ArchiveFiles files;
    private final long shardSizeLimit;
    private final Connection db;
    private final PreparedStatement insertFile;
    private final Map<String, DirRow> dirs = new HashMap<>();
    private FileChannel shard;
    private int shardNumber = -1;
    private long position;

    private TestArchiveWriter(ArchiveFiles files, long shardSizeLimit) throws IOException {
        this.files = files;
        this.shardSizeLimit = shardSizeLimit;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + files.index());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
                s.execute("INSERT INTO config (key, value_int) VALUES ('use_triggers', 0), ('shard_size_limit', "
                        + shardSizeLimit + "), ('schema_version_major', 0), ('schema_version_minor', 3)");
            }
            db.setAutoCommit(false);
            insertFile = db.prepareStatement("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid,"
                    + " mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
        dirs.put("", new DirRow());
    }

    /** A new archive at {@code archive} (index there, shards beside it) whose shards have no size limit. */
    public static TestArchiveWriter create(Path archive) throws IOException {
        return create(archive, Long.MAX_VALUE);
    }

    /**
     * A new archive at {@code archive} whose shards hold at most {@code shardSizeLimit} bytes, but for a
     * file larger than that, which gets a shard of its own.
     *
     * @throws FileAlreadyExistsException when there is an archive of that name
     */
    public static TestArchiveWriter create(Path archive, long shardSizeLimit) throws IOException {
        ArchiveFiles files = ArchiveFiles.forNewArchive(archive);
        if (Files.exists(files.index()) || Files.exists(files.shard(0))) {
            throw new FileAlreadyExistsException(archive.toString());
        }
        return new TestArchiveWriter(files, shardSizeLimit);
    }

    /** Adds a file whose bytes are {@code data}; its directories are made as needed. */
    public FileEntry add(String path, byte[] data, Attributes attributes) throws IOException {
        String p = archivePath(path);
        if (p.isEmpty()) {
            throw new InvalidArchivePathException("'" + path + "': a file needs a name");
        }
        if (shard == null || (position > 0 && data.length > shardSizeLimit - position)) {
            nextShard();
        }
        ShardLocation location = new ShardLocation(shardNumber, position);
        ByteBuffer bytes = ByteBuffer.wrap(data);
        while (bytes.hasRemaining()) {
            shard.write(bytes);
        }
        position += data.length;
        CRC32C crc = new CRC32C();
        crc.update(data);
        FileEntry entry = new FileEntry(p, location, data.length, crc.getValue(), attributes);
        try {
            insertFile.setString(1, p);
            insertFile.setInt(2, location.shard());
            insertFile.setLong(3, location.offset());
            insertFile.setLong(4, data.length);
            insertFile.setLong(5, crc.getValue());
            bindAttributes(insertFile, 6, attributes);
            insertFile.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(p + ": " + e.getMessage(), e);
        }
        String parent = ArchivePaths.parent(p);
        dir(parent).numFiles++;
        for (String d = parent; ; d = ArchivePaths.parent(d)) {
            DirRow row = dirs.get(d);
            row.numFilesTree++;
            row.sizeTree += data.length;
            if (d.isEmpty()) {
                return entry;
            }
        }
    }

    /** Adds a directory with its attributes; its ancestors are made as needed. */
    public void addDirectory(String path, Attributes attributes) throws IOException {
        dir(archivePath(path)).attributes = attributes;
    }

    private static String archivePath(String path) throws InvalidArchivePathException {
        String p = ArchivePaths.normalize(path);
        if (p == null) {
            throw new InvalidArchivePathException(path, ArchivePaths.whyInvalid(path));
        }
        return p;
    }

    private DirRow dir(String path) {
        DirRow row = dirs.get(path);
        if (row == null) {
            dir(ArchivePaths.parent(path)).numSubdirs++;
            row = new DirRow();
            dirs.put(path, row);
        }
        return row;
    }

    private void nextShard() throws IOException {
        if (shard != null) {
            shard.close();
        }
        shardNumber++;
        shard = FileChannel.open(files.shard(shardNumber), StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        position = 0;
    }

    private static void bindAttributes(PreparedStatement s, int first, Attributes a) throws SQLException {
        s.setObject(first, a.mode());
        s.setObject(first + 1, a.uid());
        s.setObject(first + 2, a.gid());
        s.setObject(first + 3, a.mtimeNs());
    }

    /** Writes the directory rows in path order (by UTF-8 bytes, as the index sorts) and closes the archive. */
    @Override
    public void close() throws IOException {
        if (shard == null) {
            nextShard(); // an empty archive has shard 0 too
        }
        shard.close();
        List<String> paths = new ArrayList<>(dirs.keySet());
        paths.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8)));
        try (PreparedStatement s = db.prepareStatement("INSERT INTO dirs (path, num_subdirs, num_files,"
                + " num_files_tree, size_tree, mode, uid, gid, mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String path : paths) {
                DirRow d = dirs.get(path);
                s.setString(1, path);
                s.setLong(2, d.numSubdirs);
                s.setLong(3, d.numFiles);
                s.setLong(4, d.numFilesTree);
                s.setLong(5, d.sizeTree);
                bindAttributes(s, 6, d.attributes);
                s.executeUpdate();
            }
            db.commit();
            insertFile.close();
            db.close();
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
    }
}
