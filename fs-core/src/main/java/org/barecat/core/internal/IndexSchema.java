package org.barecat.core.internal;

import org.barecat.core.ArchiveFormatException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a reader requires of an archive's SQLite index and how it opens one: read-only connections,
 * the check that the index is one this library can read, and one-line messages for what goes wrong.
 * The reader's connection pool opens its connections here; so do the tools that read an index
 * directly (verify, append).
 */
public final class IndexSchema {
    /** The major schema version this library reads (and writes); an index of a higher one is refused. */
    public static final int VERSION_MAJOR = 0;
    /** {@code shard_size_limit} of an archive whose shards have no size limit. */
    public static final long UNLIMITED_SHARD_SIZE = Long.MAX_VALUE;

    private IndexSchema() {
    }

    /** What a reader needs to know of an index it has checked. */
    public record Layout(boolean filesHaveRowids, boolean dirsHaveRowids, boolean filesPathIndexed, boolean utf8) {
    }

    /** The rollback journal SQLite keeps beside {@code index} while a change is being committed. */
    public static Path journalOf(Path index) {
        return index.resolveSibling(index.getFileName() + "-journal");
    }

    /**
     * Whether a change to {@code index} was interrupted (or is being committed now): its journal has
     * a header. A journal without one (zeroed, or not yet written) holds nothing to roll back.
     */
    public static boolean hasInterruptedChange(Path index) {
        try (var in = Files.newInputStream(journalOf(index))) {
            return java.util.Arrays.equals(in.readNBytes(JOURNAL_MAGIC.length), JOURNAL_MAGIC);
        } catch (IOException e) {
            return false; // no journal
        }
    }

    /** The first bytes of a rollback journal's header. */
    private static final byte[] JOURNAL_MAGIC = {(byte) 0xd9, (byte) 0xd5, 0x05, (byte) 0xf9, 0x20, (byte) 0xa1, 0x63,
            (byte) 0xd7};

    /**
     * Rolls back a change that a writer killed in the middle of its commit left behind: an immutable
     * connection ignores the journal it left, and would read a half-changed index. Any other
     * connection rolls it back on its first read, as SQLite does for every program; that needs the
     * right to write the index, and an index that cannot be rolled back is refused.
     */
    private static void rollBackInterruptedChange(Path file) throws SQLException {
        Path journal = journalOf(file);
        if (!hasInterruptedChange(file)) {
            return;
        }
        try (Connection c = SqliteLibrary.connect("jdbc:sqlite:" + file, new Properties());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.executeQuery("SELECT count(*) FROM sqlite_master").close();
        } catch (SQLException e) {
            throw new SQLException(file + ": a change to the archive was interrupted, and its journal " + journal
                    + " cannot be rolled back here (" + e.getMessage() + "); any barecat command run where the index"
                    + " can be written rolls it back", e);
        }
    }

    /**
     * A new read-only connection to the index {@code file}, opened with {@code immutable=1}: no locks,
     * no journal, nothing created beside the file.
     */
    public static Connection openReadOnly(Path file) throws SQLException {
        rollBackInterruptedChange(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        config.setSharedCache(false);
        String url = "jdbc:sqlite:file:" + percentEncode(file.toAbsolutePath().toString()) + "?immutable=1";
        Connection connection = SqliteLibrary.connect(url, config.toProperties());
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA cache_size = -2048"); // KiB; a smaller cache made cold lookups slower
            s.execute("PRAGMA temp_store = MEMORY");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /**
     * A read-only connection ({@link #openReadOnly}) to an index checked as {@code Archive.open} checks
     * it ({@link #check(Path, Connection)}).
     *
     * @throws ArchiveFormatException when it is not an index this library can read
     */
    public static Connection openChecked(Path file) throws IOException {
        // opened for reading first, as the reader does: a file that cannot be read fails with the file system's reason
        FileChannel.open(file, StandardOpenOption.READ).close();
        Connection c = null;
        try {
            c = openReadOnly(file);
            check(file, c);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw describe(file, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Checks that {@code file} is an index this library can read, as {@link #openChecked} does. */
    public static void check(Path file) throws IOException {
        closeQuietly(openChecked(file));
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // closing a read-only connection loses nothing
        }
    }

    /**
     * Checks that the index {@code c} is connected to is one this library can read: Barecat's tables
     * and columns, unique paths, a schema version it knows. A problem is thrown as an SQLException that
     * {@link #describe} turns into the {@link ArchiveFormatException} naming it.
     */
    public static Layout check(Path file, Connection c) throws SQLException {
        checkSchema(file, c);
        boolean filesHaveRowids = hasRowid(c, "files");
        boolean filesPathIndexed = hasUniqueIndexOnPathAlone(c, "files");
        boolean dirsHaveRowids = hasRowid(c, "dirs");
        return new Layout(filesHaveRowids, dirsHaveRowids, filesPathIndexed, isUtf8(c));
    }

    /** Carries a format problem found inside a query out as an SQLException, for {@link #describe}. */
    private static final class SchemaProblem extends SQLException {
        SchemaProblem(ArchiveFormatException problem) {
            super(problem.getMessage(), problem);
        }
    }

    /**
     * What an SQLException from reading the index {@code file} means, as one line naming the file: an
     * {@link ArchiveFormatException} when the file is not a readable Barecat index.
     */
    public static IOException describe(Path file, SQLException e) {
        if (e instanceof SchemaProblem) {
            return (ArchiveFormatException) e.getCause();
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("not a database") || message.contains("SQLITE_NOTADB")) {
            return new ArchiveFormatException(file, "not an SQLite database", e);
        }
        if (message.contains("malformed") || message.contains("SQLITE_CORRUPT")) {
            return new ArchiveFormatException(file, "the SQLite index is corrupt", e);
        }
        return new IOException(file + ": cannot read the index: " + message, e);
    }

    private static void checkSchema(Path file, Connection c) throws SQLException {
        List<String> missing = new ArrayList<>();
        requireColumns(c, "files", IndexRows.FILE_COLUMNS, missing);
        requireColumns(c, "dirs", IndexRows.DIR_COLUMNS, missing);
        if (!missing.isEmpty()) {
            throw new SchemaProblem(new ArchiveFormatException(file,
                    "not a Barecat index (missing " + String.join(", ", missing) + ")"));
        }
        for (String table : List.of("files", "dirs")) {
            requireUniquePaths(file, c, table);
        }
        if (hasTable(c, "config")) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT value_int FROM config WHERE key = 'schema_version_major'")) {
                if (rs.next() && rs.getLong(1) > VERSION_MAJOR) {
                    throw new SchemaProblem(new ArchiveFormatException(file, "unsupported Barecat schema version "
                            + rs.getLong(1) + ".x (this reader knows " + VERSION_MAJOR + ".x)"));
                }
            }
        }
    }

    /**
     * Paths must be unique. Real archives have a unique index on {@code path} (or it is the primary
     * key), which makes this free; an index without one is searched for a duplicate once, at open.
     */
    private static void requireUniquePaths(Path file, Connection c, String table) throws SQLException {
        if (hasUniqueIndexOnPathAlone(c, table)) {
            return;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path, count(*) FROM " + table
                     + " GROUP BY path HAVING count(*) > 1 LIMIT 1")) {
            if (rs.next()) {
                throw new SchemaProblem(new ArchiveFormatException(file, "duplicate path '" + rs.getString(1) + "' ("
                        + rs.getLong(2) + " rows in table " + table + ")"));
            }
        }
    }

    private static boolean hasUniqueIndexOnPathAlone(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pragma_index_list(?) AS l"
                + " JOIN pragma_index_info(l.name) AS i WHERE l.\"unique\" AND NOT l.partial"
                + " GROUP BY l.name HAVING count(*) = 1 AND max(i.name) = 'path'")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireColumns(Connection c, String table, String columns, List<String> missing)
            throws SQLException {
        List<String> present = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM pragma_table_xinfo(?)")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        if (present.isEmpty()) {
            missing.add("table '" + table + "'");
            return;
        }
        for (String column : (columns + ", parent").split(", ")) {
            if (!present.contains(column)) {
                missing.add("column " + table + "." + column);
            }
        }
    }

    /** Whether text in the index is stored as UTF-8 (see {@link IndexRows#readPath}). */
    private static boolean isUtf8(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA encoding")) {
            return rs.next() && "UTF-8".equalsIgnoreCase(rs.getString(1));
        }
    }

    private static boolean hasRowid(Connection c, String table) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rowid FROM " + table + " LIMIT 0")) {
            return true;
        } catch (SQLException withoutRowid) {
            return false;
        }
    }

    /** Percent-encodes everything but unreserved characters and {@code /}, for an SQLite URI filename. */
    private static String percentEncode(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
