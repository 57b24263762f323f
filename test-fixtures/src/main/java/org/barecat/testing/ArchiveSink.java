package org.barecat.testing;

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
 * Writes an archive in the current layout (schema 0.3, without triggers) with plain SQL. Files' bytes
 * go into shards in the order added, a new shard starting when the next file would pass the size limit;
 * directory rows, with their statistics, are written in path order at {@link #close}.
 */
final class ArchiveSink implements TreeBuilder.Sink {
    /** A directory's row: its metadata and statistics. */
    private static final class DirRow {
        TreeBuilder.Meta meta = TreeBuilder.Meta.NONE;
        long numSubdirs;
        long numFiles;
        long numFilesTree;
        long sizeTree;
    }

    private final Path archive;
    private final long shardSizeLimit;
    private final Connection db;
    private final PreparedStatement insertFile;
    private final Map<String, DirRow> dirs = new HashMap<>();
    private FileChannel shard;
    private int shardNumber = -1;
    private long position;

    ArchiveSink(Path archive, long shardSizeLimit) throws IOException {
        if (Files.exists(archive) || Files.exists(shardPath(archive, 0))) {
            throw new FileAlreadyExistsException(archive.toString());
        }
        this.archive = archive;
        this.shardSizeLimit = shardSizeLimit;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + archive);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                Schemas.create(db, "0.3");
                s.execute("INSERT INTO config (key, value_int) VALUES ('use_triggers', 0), ('shard_size_limit', "
                        + shardSizeLimit + "), ('schema_version_major', 0), ('schema_version_minor', 3)");
            }
            db.setAutoCommit(false);
            insertFile = db.prepareStatement("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid,"
                    + " mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            throw new IOException(archive + ": " + e.getMessage(), e);
        }
        dirs.put("", new DirRow());
    }

    private static Path shardPath(Path archive, int n) {
        return archive.resolveSibling(archive.getFileName() + String.format("-shard-%05d", n));
    }

    /** {@code path} without leading or trailing slashes; empty, "." and ".." components are refused. */
    private static String archivePath(String path) {
        String p = path.replaceAll("^/+|/+$", "");
        for (String part : p.split("/", -1)) {
            if (!p.isEmpty() && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
                throw new IllegalArgumentException("'" + path + "': not an archive path");
            }
        }
        return p;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    @Override
    public void file(String path, byte[] data, TreeBuilder.Meta meta) throws IOException {
        String p = archivePath(path);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("'" + path + "': a file needs a name");
        }
        if (shard == null || (position > 0 && data.length > shardSizeLimit - position)) {
            nextShard();
        }
        long offset = position;
        ByteBuffer bytes = ByteBuffer.wrap(data);
        while (bytes.hasRemaining()) {
            shard.write(bytes);
        }
        position += data.length;
        CRC32C crc = new CRC32C();
        crc.update(data);
        try {
            insertFile.setString(1, p);
            insertFile.setInt(2, shardNumber);
            insertFile.setLong(3, offset);
            insertFile.setLong(4, data.length);
            insertFile.setLong(5, crc.getValue());
            bindMeta(insertFile, 6, meta);
            insertFile.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(p + ": " + e.getMessage(), e);
        }
        String parent = parent(p);
        dir(parent).numFiles++;
        for (String d = parent; ; d = parent(d)) {
            DirRow row = dirs.get(d);
            row.numFilesTree++;
            row.sizeTree += data.length;
            if (d.isEmpty()) {
                return;
            }
        }
    }

    @Override
    public void directory(String path, TreeBuilder.Meta meta) {
        dir(archivePath(path)).meta = meta;
    }

    private DirRow dir(String path) {
        DirRow row = dirs.get(path);
        if (row == null) {
            dir(parent(path)).numSubdirs++;
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
        shard = FileChannel.open(shardPath(archive, shardNumber), StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW);
        position = 0;
    }

    private static void bindMeta(PreparedStatement s, int first, TreeBuilder.Meta m) throws SQLException {
        s.setObject(first, m.mode());
        s.setObject(first + 1, m.uid());
        s.setObject(first + 2, m.gid());
        s.setObject(first + 3, m.mtimeNs());
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
                bindMeta(s, 6, d.meta);
                s.executeUpdate();
            }
            db.commit();
            insertFile.close();
            db.close();
        } catch (SQLException e) {
            throw new IOException(archive + ": " + e.getMessage(), e);
        }
    }
}
