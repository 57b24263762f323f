package org.barecat.fuse;

import org.barecat.testing.TreeBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code find} shows of a mounted tree, and files that make it tell them apart, for tests. */
final class FindSizes {
    private FindSizes() {
    }

    /**
     * Adds {@code count} files named {@code String.format(nameFormat, f)}, each of {@code f} zero
     * bytes (f from 0): each shows its own size. Returns the lines {@link #of} prints for them.
     */
    static String addSized(TreeBuilder w, String nameFormat, int count) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int f = 0; f < count; f++) {
            String name = String.format(nameFormat, f);
            w.file(name, new byte[f]);
            lines.append(name).append(' ').append(f).append('\n');
        }
        return lines.toString();
    }

    /** Rebuilds the {@code files} table of index {@code index} WITHOUT ROWID, keyed by path, as in the 0.2 layout (and no triggers). */
    static void dropFileRowids(Path index) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index); Statement s = c.createStatement()) {
            List<String> triggers = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'trigger'")) {
                while (rs.next()) {
                    triggers.add(rs.getString(1));
                }
            }
            for (String trigger : triggers) {
                s.execute("DROP TRIGGER \"" + trigger + "\"");
            }
            s.execute("CREATE TABLE files_by_path (path TEXT PRIMARY KEY NOT NULL, parent TEXT GENERATED ALWAYS AS"
                    + " (rtrim(rtrim(path, replace(path, '/', '')), '/')) VIRTUAL NOT NULL, shard INTEGER NOT NULL,"
                    + " offset INTEGER NOT NULL, size INTEGER DEFAULT 0, crc32c INTEGER DEFAULT NULL,"
                    + " mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL,"
                    + " mtime_ns INTEGER DEFAULT NULL) WITHOUT ROWID");
            s.execute("INSERT INTO files_by_path (path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns)"
                    + " SELECT path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns FROM files");
            s.execute("DROP TABLE files");
            s.execute("ALTER TABLE files_by_path RENAME TO files");
            s.execute("CREATE INDEX idx_files_parent ON files (parent)");
            s.execute("CREATE INDEX idx_files_shard_offset ON files (shard, offset)");
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    /** Path and size of every file below {@code root}, as {@code find -printf '%P %s\n'} prints them (it lstats each one), sorted. */
    static String of(Path root) throws Exception {
        return run("sh", "-c", "cd '" + root + "' && find . -type f -printf '%P %s\\n' | LC_ALL=C sort");
    }

    /** The path of every file below {@code root}, as {@code find} prints them, sorted. */
    static String files(Path root) throws Exception {
        return run("sh", "-c", "cd '" + root + "' && find . -type f -printf '%P\\n' | LC_ALL=C sort");
    }

    /** Runs a program; returns its output, failing the test unless it exits 0 within a minute. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
