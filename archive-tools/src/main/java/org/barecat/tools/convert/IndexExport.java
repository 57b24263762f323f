package org.barecat.tools.convert;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.internal.IndexSchema;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An archive's index written out for other tools, as the original barecat writes it: every file's
 * row as CSV ({@code index-to-csv}), or the tree as ncdu's JSON export ({@code to-ncdu-json}, for
 * {@code ncdu -f}). Only the index is read; the shards need not be there.
 */
public final class IndexExport {
    private IndexExport() {
    }

    /**
     * {@code "path","shard","offset","size","crc32c"} then one line per file in path order: text
     * quoted (quotes doubled), numbers bare, a missing checksum as {@code ""}, lines ending in CRLF.
     */
    public static void csv(Path archive, PrintStream out) throws IOException {
        query(archive, c -> {
            out.print("\"path\",\"shard\",\"offset\",\"size\",\"crc32c\"\r\n");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT path, shard, offset, size, crc32c FROM files ORDER BY path")) {
                while (rs.next()) {
                    long crc = rs.getLong(5);
                    String checksum = rs.wasNull() ? "\"\"" : Long.toString(crc);
                    out.print(quoted(rs.getString(1)) + "," + rs.getLong(2) + "," + rs.getLong(3) + "," + rs.getLong(4)
                            + "," + checksum + "\r\n");
                }
            }
        });
    }

    /**
     * ncdu's export format, version 1.1: each directory as {@code [ {"name":..., "asize": 4096, "ino": 0}}
     * followed by its files and then its subdirectories, in the index's order.
     */
    public static void ncduJson(Path archive, String version, PrintStream out) throws IOException {
        query(archive, c -> {
            out.print("[1,1,{\"progname\":\"barecat\",\"progver\":\"" + version + "\",\"timestamp\":"
                    + java.math.BigDecimal.valueOf(System.currentTimeMillis(), 3).toPlainString() + "},\n");
            try (PreparedStatement files = c.prepareStatement("SELECT path, size FROM files WHERE parent = ?");
                 PreparedStatement dirs = c.prepareStatement("SELECT path FROM dirs WHERE parent = ?")) {
                ncduDir("", files, dirs, out);
            }
            out.print("]\n");
        });
    }

    private static void ncduDir(String dir, PreparedStatement files, PreparedStatement dirs, PrintStream out)
            throws SQLException {
        out.print("[ {\"name\": " + json(dir.isEmpty() ? "/" : dir.substring(dir.lastIndexOf('/') + 1))
                + ", \"asize\": 4096, \"ino\": 0}");
        files.setString(1, dir);
        try (ResultSet rs = files.executeQuery()) {
            while (rs.next()) {
                String path = rs.getString(1);
                long size = rs.getLong(2);
                out.print(", {\"name\": " + json(path.substring(path.lastIndexOf('/') + 1)) + ", \"asize\": " + size
                        + ", \"dsize\": " + size + ", \"ino\": 0}");
            }
        }
        List<String> subdirs = new ArrayList<>();
        dirs.setString(1, dir);
        try (ResultSet rs = dirs.executeQuery()) {
            while (rs.next()) {
                subdirs.add(rs.getString(1));
            }
        }
        for (String sub : subdirs) {
            out.print(",\n");
            ncduDir(sub, files, dirs, out);
        }
        out.print("]");
    }

    /**
     * Runs one SQL statement on the index, read-only (the original shell's {@code sql}): the column
     * names and the rows tab-separated, under a line of 40 dashes, then {@code (N rows)}; only the
     * count when no row comes back.
     *
     * @throws IOException naming the index and SQLite's message when the statement fails
     */
    public static void sql(Path archive, String statement, PrintStream out) throws IOException {
        query(archive, c -> {
            try (Statement s = c.createStatement()) {
                long rows = 0;
                if (s.execute(statement)) {
                    try (ResultSet rs = s.getResultSet()) {
                        int n = rs.getMetaData().getColumnCount();
                        StringBuilder b = new StringBuilder();
                        while (rs.next()) {
                            if (rows++ == 0) {
                                for (int i = 1; i <= n; i++) {
                                    out.print((i > 1 ? "\t" : "") + rs.getMetaData().getColumnName(i));
                                }
                                out.print("\n" + "-".repeat(40) + "\n");
                            }
                            b.setLength(0);
                            for (int i = 1; i <= n; i++) {
                                b.append(i > 1 ? "\t" : "").append(pythonStr(rs.getObject(i)));
                            }
                            out.print(b.append('\n'));
                        }
                    }
                }
                out.print("(" + rows + " rows)\n");
            }
        });
    }

    /** What Python's {@code str()} prints for a value sqlite3 returns: None, ints, floats, text, b'...'. */
    private static String pythonStr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof byte[] bytes) {
            StringBuilder b = new StringBuilder("b'");
            for (byte x : bytes) {
                int c = x & 0xff;
                b.append(c == '\\' || c == '\'' ? "\\" + (char) c : c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                        : String.format("\\x%02x", c));
            }
            return b.append('\'').toString();
        }
        return v.toString();
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private static void query(Path archive, Work work) throws IOException {
        ArchiveFiles files = ArchiveFiles.locate(archive);
        try (Connection c = IndexSchema.openChecked(files.index())) {
            work.run(c);
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** A JSON string as Python's json.dumps writes it (ensure_ascii): DEL and non-ASCII as \\u escapes. */
    public static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
