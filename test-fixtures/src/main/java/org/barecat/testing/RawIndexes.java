package org.barecat.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Indexes written row by row with plain SQL: the older 0.2 layout, and indexes as hostile as SQLite
 * allows. For whole archives in the current layout see {@link TreeBuilder#archive}.
 */
public final class RawIndexes {
    private RawIndexes() {
    }

    /**
     * An index in the older 0.2 layout (WITHOUT ROWID tables keyed by path), triggers absent and with
     * only the rows given: {@code dirs} rows can be left out.
     */
    public static Connection legacyIndex(Path indexFile) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        Schemas.create(c, "0.2");
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO config (key, value_int) VALUES ('use_triggers', 0),"
                    + " ('schema_version_major', 0), ('schema_version_minor', 2)");
        }
        return c;
    }

    /**
     * An index as hostile as SQLite allows: {@code files} and {@code dirs} columns without declared
     * types or constraints (so a row can hold text, a blob, a real or NULL anywhere), the generated
     * {@code parent} columns and their indexes, and unique indexes on {@code path} only when asked.
     */
    public static Connection looseIndex(Path indexFile, boolean uniquePaths) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        try (Statement s = c.createStatement()) {
            String parent = "rtrim(rtrim(path, replace(path, '/', '')), '/')";
            s.execute("CREATE TABLE files (path, parent GENERATED ALWAYS AS (" + parent + ") VIRTUAL,"
                    + " shard, offset, size, crc32c, mode, uid, gid, mtime_ns)");
            s.execute("CREATE TABLE dirs (path, parent GENERATED ALWAYS AS (CASE WHEN path = '' THEN NULL ELSE "
                    + parent + " END) VIRTUAL, num_subdirs, num_files, num_files_tree, size_tree, mode, uid, gid,"
                    + " mtime_ns)");
            s.execute("CREATE TABLE config (key TEXT PRIMARY KEY, value_text TEXT, value_int INTEGER) WITHOUT ROWID");
            s.execute("INSERT INTO config (key, value_int) VALUES ('use_triggers', 0),"
                    + " ('schema_version_major', 0), ('schema_version_minor', 3)");
            s.execute("CREATE INDEX idx_files_parent ON files (parent)");
            s.execute("CREATE INDEX idx_dirs_parent ON dirs (parent)");
            s.execute("CREATE INDEX idx_files_shard_offset ON files (shard, offset)");
            s.execute((uniquePaths ? "CREATE UNIQUE INDEX" : "CREATE INDEX") + " idx_files_path ON files (path)");
            s.execute((uniquePaths ? "CREATE UNIQUE INDEX" : "CREATE INDEX") + " idx_dirs_path ON dirs (path)");
        }
        return c;
    }

    /** Inserts a files row whose shard, offset and size are any SQLite values (Long, String, Double, byte[], null). */
    public static void insertRawFile(Connection c, String path, Object shard, Object offset, Object size)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO files (path, shard, offset, size) VALUES (?, ?, ?, ?)")) {
            s.setString(1, path);
            s.setObject(2, shard);
            s.setObject(3, offset);
            s.setObject(4, size);
            s.executeUpdate();
        }
    }

    public static void insertFile(Connection c, String path, int shard, long offset, long size) throws SQLException {
        insertRawFile(c, path, (long) shard, offset, size);
    }

    public static void insertDir(Connection c, String path) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dirs (path) VALUES (?)")) {
            s.setString(1, path);
            s.executeUpdate();
        }
    }
}
