package org.barecat.tools.write;

import org.barecat.core.internal.IndexSchema;

import java.util.List;

/**
 * The index schema this library writes: the layout of FORMAT.md, schema version 0.3, with the
 * triggers that keep the {@code dirs} statistics up to date when another program (such as the
 * Python barecat) later adds, deletes, moves or resizes entries. Trigger names are those other
 * implementations look for.
 */
final class Schema {
    static final int VERSION_MAJOR = IndexSchema.VERSION_MAJOR;
    static final int VERSION_MINOR = 3;
    static final long UNLIMITED_SHARD_SIZE = IndexSchema.UNLIMITED_SHARD_SIZE;

    /** {@code parent} of an archive path, in SQL: the path minus its last component. */
    private static final String PARENT_OF_PATH = "rtrim(rtrim(path, replace(path, '/', '')), '/')";
    private static final String NOW_NS = "CAST((julianday('now') - 2440587.5) * 86400.0 * 1e9 AS INTEGER)";
    private static final String TRIGGERS_ON = "(SELECT value_int FROM config WHERE key = 'use_triggers') = 1";

    private Schema() {
    }

    static List<String> tables() {
        return List.of(
                "CREATE TABLE dirs ("
                        + " path TEXT NOT NULL,"
                        + " parent TEXT GENERATED ALWAYS AS (CASE WHEN path = '' THEN NULL ELSE " + PARENT_OF_PATH
                        + " END) VIRTUAL REFERENCES dirs (path) ON DELETE RESTRICT,"
                        + " num_subdirs INTEGER DEFAULT 0, num_files INTEGER DEFAULT 0,"
                        + " num_files_tree INTEGER DEFAULT 0, size_tree INTEGER DEFAULT 0,"
                        + " mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL,"
                        + " mtime_ns INTEGER DEFAULT NULL)",
                "CREATE TABLE files ("
                        + " path TEXT NOT NULL,"
                        + " parent TEXT GENERATED ALWAYS AS (" + PARENT_OF_PATH
                        + ") VIRTUAL NOT NULL REFERENCES dirs (path) ON DELETE RESTRICT,"
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
    }

    /** Creates the tables, indexes and triggers of a new index, its triggers off (they are switched on once it is filled). */
    static void create(java.sql.Statement s, long shardSizeLimit) throws java.sql.SQLException {
        for (String ddl : tables()) {
            s.execute(ddl);
        }
        for (String ddl : triggers()) {
            s.execute(ddl);
        }
        s.execute(config(shardSizeLimit, false));
    }

    /** Switches the triggers that keep the directory statistics on or off (config use_triggers). */
    static void useTriggers(java.sql.Connection c, boolean on) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE config SET value_int = " + (on ? 1 : 0) + " WHERE key = 'use_triggers'");
        }
    }

    static String config(long shardSizeLimit, boolean useTriggers) {
        return "INSERT INTO config (key, value_int) VALUES"
                + " ('use_triggers', " + (useTriggers ? 1 : 0) + "),"
                + " ('shard_size_limit', " + shardSizeLimit + "),"
                + " ('schema_version_major', " + VERSION_MAJOR + "),"
                + " ('schema_version_minor', " + VERSION_MINOR + ")";
    }

    /** Statistics triggers: changes propagate from an entry to its parent and, through it, to the root. */
    static List<String> triggers() {
        return List.of(
                trigger("add_file", "AFTER INSERT ON files",
                        "INSERT INTO dirs (path, num_files, num_files_tree, size_tree, mtime_ns)"
                                + " VALUES (NEW.parent, 1, 1, NEW.size, " + NOW_NS + ")"
                                + " ON CONFLICT(path) DO UPDATE SET num_files = num_files + 1,"
                                + " num_files_tree = num_files_tree + 1,"
                                + " size_tree = size_tree + excluded.size_tree, mtime_ns = excluded.mtime_ns;"),
                trigger("del_file", "AFTER DELETE ON files",
                        adjustDir("OLD.parent", "num_files = num_files - 1, num_files_tree = num_files_tree - 1,"
                                + " size_tree = size_tree - OLD.size, mtime_ns = " + NOW_NS)),
                trigger("move_file", "AFTER UPDATE OF path ON files", "NEW.parent != OLD.parent",
                        adjustDir("NEW.parent", "num_files = num_files + 1, num_files_tree = num_files_tree + 1,"
                                + " size_tree = size_tree + NEW.size, mtime_ns = " + NOW_NS)
                                + adjustDir("OLD.parent", "num_files = num_files - 1,"
                                + " num_files_tree = num_files_tree - 1,"
                                + " size_tree = size_tree - OLD.size, mtime_ns = " + NOW_NS)),
                trigger("resize_file", "AFTER UPDATE OF size ON files", "NEW.parent == OLD.parent",
                        adjustDir("OLD.parent", "size_tree = size_tree + NEW.size - OLD.size")),
                trigger("add_subdir", "AFTER INSERT ON dirs",
                        "INSERT INTO dirs (path, num_subdirs, size_tree, num_files_tree, mtime_ns)"
                                + " VALUES (NEW.parent, 1, NEW.size_tree, NEW.num_files_tree, " + NOW_NS + ")"
                                + " ON CONFLICT(path) DO UPDATE SET num_subdirs = num_subdirs + 1,"
                                + " size_tree = size_tree + excluded.size_tree,"
                                + " num_files_tree = num_files_tree + excluded.num_files_tree,"
                                + " mtime_ns = excluded.mtime_ns;"),
                trigger("del_subdir", "AFTER DELETE ON dirs",
                        adjustDir("OLD.parent", "num_subdirs = num_subdirs - 1,"
                                + " size_tree = size_tree - OLD.size_tree,"
                                + " num_files_tree = num_files_tree - OLD.num_files_tree, mtime_ns = " + NOW_NS)),
                trigger("move_subdir", "AFTER UPDATE OF path ON dirs", "NEW.parent != OLD.parent",
                        adjustDir("OLD.parent", "num_subdirs = num_subdirs - 1,"
                                + " size_tree = size_tree - OLD.size_tree,"
                                + " num_files_tree = num_files_tree - OLD.num_files_tree, mtime_ns = " + NOW_NS)
                                + adjustDir("NEW.parent", "num_subdirs = num_subdirs + 1,"
                                + " size_tree = size_tree + NEW.size_tree,"
                                + " num_files_tree = num_files_tree + NEW.num_files_tree, mtime_ns = " + NOW_NS)),
                trigger("resize_dir", "AFTER UPDATE OF size_tree, num_files_tree ON dirs",
                        "NEW.parent = OLD.parent AND (NEW.size_tree != OLD.size_tree"
                                + " OR NEW.num_files_tree != OLD.num_files_tree)",
                        adjustDir("OLD.parent", "size_tree = size_tree + (NEW.size_tree - OLD.size_tree),"
                                + " num_files_tree = num_files_tree + (NEW.num_files_tree - OLD.num_files_tree)")),
                trigger("prevent_file_as_dir", "BEFORE INSERT ON files",
                        "SELECT RAISE(ABORT, 'Path already exists as directory')"
                                + " WHERE EXISTS (SELECT 1 FROM dirs WHERE path = NEW.path);"),
                trigger("prevent_dir_as_file", "BEFORE INSERT ON dirs",
                        "SELECT RAISE(ABORT, 'Path already exists as file')"
                                + " WHERE EXISTS (SELECT 1 FROM files WHERE path = NEW.path);"));
    }

    private static String adjustDir(String which, String assignments) {
        return "UPDATE dirs SET " + assignments + " WHERE path = " + which + ";";
    }

    private static String trigger(String name, String event, String body) {
        return trigger(name, event, null, body);
    }

    private static String trigger(String name, String event, String condition, String body) {
        String when = condition == null ? TRIGGERS_ON : condition + " AND " + TRIGGERS_ON;
        return "CREATE TRIGGER " + name + " " + event + " WHEN " + when + " BEGIN " + body + " END";
    }
}
