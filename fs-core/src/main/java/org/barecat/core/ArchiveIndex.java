package org.barecat.core;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Read-only access to an archive's SQLite index. Connections are opened with {@code immutable=1}
 * (no locks, no journal, nothing created beside the file), pooled so that each concurrent caller
 * has its own, and keep their prepared statements. Every query here is an index search.
 * <p>
 * Every connection reads the file that was opened first, even after its path has been renamed,
 * replaced or deleted (a new version published over it): SQLite opens by path, so a connection is
 * kept only when the path still names that file once it is open. After that, queries share the
 * connections already open. Mixing an index of one version with the shards of another would return
 * wrong bytes.
 */
final class ArchiveIndex implements AutoCloseable {
    static final String FILE_COLUMNS = "path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns";
    static final int FILE_COLUMN_COUNT = 9;
    static final String DIR_COLUMNS = "path, num_subdirs, num_files, num_files_tree, size_tree, mode, uid, gid, mtime_ns";

    /** The two tables, with the column listings page through: rowid where the table has one, else path. */
    enum Table {
        FILES("files", FILE_COLUMNS), DIRS("dirs", DIR_COLUMNS);

        final String name;
        final String columns;

        Table(String name, String columns) {
            this.name = name;
            this.columns = columns;
        }
    }

    private final Path file;
    /** The index file as opened first: it stays readable (and read ahead) whatever becomes of its path. */
    private final FileChannel held;
    /** The device and inode of {@link #held}, as {@link BasicFileAttributes#fileKey} gives them. */
    private final Object identity;
    /** Set once the path names another file than {@link #held}: no further connections are opened. */
    private volatile boolean replaced;
    private final IndexReadahead readahead;
    private final String url;
    /**
     * Connections no thread is using, the last one given back first: a lone reader ({@code find},
     * {@code ls}) keeps using one connection, whose page cache is warm, and the others' caches stay
     * empty (each may hold 2 MiB).
     */
    private final LinkedBlockingDeque<IndexConnection> idle = new LinkedBlockingDeque<>();
    private final List<IndexConnection> all = new ArrayList<>();
    private String filesKey;
    private String dirsKey;
    private boolean filesPathIndexed;
    private boolean utf8;
    private volatile boolean closed;

    private ArchiveIndex(Path file, FileChannel held, Object identity) {
        this.file = file;
        this.held = held;
        this.identity = identity;
        this.readahead = new IndexReadahead(file, held);
        this.url = "jdbc:sqlite:file:" + percentEncode(file.toAbsolutePath().toString()) + "?immutable=1";
    }

    /** Opens and checks the index: it must be SQLite with Barecat's tables and a schema we know. */
    static ArchiveIndex open(Path file) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Object identity = identity(file);
            FileChannel held = FileChannel.open(file, StandardOpenOption.READ);
            ArchiveIndex index = new ArchiveIndex(file, held, identity);
            if (identity == null || !identity.equals(identity(file))) {
                index.replaced = true; // the channel may be another file than the one identified
            }
            try {
                if (!index.replaced) {
                    index.check();
                }
            } catch (IOException | RuntimeException e) {
                index.close();
                throw e;
            }
            if (!index.replaced) {
                return index;
            }
            index.close();
            if (attempt == 3) {
                throw new IOException(file + ": the index keeps being replaced while it is opened");
            }
        }
    }

    /** The device and inode {@code file} names now, or null when it names nothing. */
    private static Object identity(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads what every query needs to know about the index, checking its schema on the way. */
    private void check() throws IOException {
        try {
            query(c -> {
                checkSchema(file, c.connection());
                filesKey = hasRowid(c.connection(), "files") ? "rowid" : "path";
                filesPathIndexed = hasUniqueIndexOnPathAlone(c.connection(), "files");
                dirsKey = hasRowid(c.connection(), "dirs") ? "rowid" : "path";
                utf8 = isUtf8(c.connection());
                return null;
            });
        } catch (IOException e) {
            if (!replaced) {
                throw e;
            }
            // replaced before a connection could be made: open() tries again
        }
    }

    /** Carries a format problem found inside a query out through {@link #query}. */
    private static final class SchemaProblem extends SQLException {
        SchemaProblem(ArchiveFormatException problem) {
            super(problem.getMessage(), problem);
        }
    }

    private static IOException describe(Path file, SQLException e) {
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
        requireColumns(c, "files", FILE_COLUMNS, missing);
        requireColumns(c, "dirs", DIR_COLUMNS, missing);
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
                if (rs.next() && rs.getLong(1) > Schema.VERSION_MAJOR) {
                    throw new SchemaProblem(new ArchiveFormatException(file, "unsupported Barecat schema version "
                            + rs.getLong(1) + ".x (this reader knows " + Schema.VERSION_MAJOR + ".x)"));
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

    private static boolean isUtf8(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA encoding")) {
            return rs.next() && "UTF-8".equalsIgnoreCase(rs.getString(1));
        }
    }

    /** Whether text in this index is stored as UTF-8 (see {@link #readPath}). */
    boolean utf8() {
        return utf8;
    }

    private static boolean hasRowid(Connection c, String table) {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rowid FROM " + table + " LIMIT 0")) {
            return true;
        } catch (SQLException withoutRowid) {
            return false;
        }
    }

    /**
     * A new connection to the file first opened, or null when the path names another file now (see
     * the class comment).
     */
    private IndexConnection connect() throws SQLException {
        if (!stillNamesFirst()) {
            return null;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        config.setSharedCache(false);
        Connection connection;
        try {
            connection = SqliteLibrary.connect(url, config.toProperties());
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA cache_size = -2048"); // KiB; 1 MiB made cold lstat of 20,000 files ~10% slower
                s.execute("PRAGMA temp_store = MEMORY");
            }
        } catch (SQLException e) {
            if (!stillNamesFirst()) {
                return null; // renamed away or deleted meanwhile
            }
            throw e;
        }
        if (!stillNamesFirst()) {
            connection.close();
            return null;
        }
        return new IndexConnection(connection);
    }

    /** Whether the index's path still names the file first opened; once it does not, {@link #replaced} is set. */
    private boolean stillNamesFirst() {
        if (!replaced && (identity == null || !identity.equals(identity(file)))) {
            replaced = true;
        }
        return !replaced;
    }

    /** Something to run with a pooled connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(IndexConnection c) throws SQLException;
    }

    /**
     * Runs {@code query} on a connection no other thread is using; waits for one when no more can be
     * opened (the index was replaced). Queries must not nest.
     */
    <T> T query(Query<T> query) throws IOException {
        if (closed) {
            throw new IOException(file + ": archive is closed");
        }
        IndexConnection c = idle.pollFirst();
        try {
            if (c == null && !replaced) {
                c = connect();
                if (c != null) {
                    synchronized (all) {
                        all.add(c);
                    }
                }
            }
            if (c == null) {
                c = awaitIdle();
            }
            long start = System.nanoTime();
            T result = query.run(c);
            readahead.afterQuery(System.nanoTime() - start);
            return result;
        } catch (SQLException e) {
            throw describe(file, e);
        } finally {
            if (c != null) {
                idle.offerFirst(c);
            }
        }
    }

    /** An idle connection, once another thread gives one back. */
    private IndexConnection awaitIdle() throws IOException {
        synchronized (all) {
            if (all.isEmpty()) {
                throw new IOException(file + ": the index was replaced before it could be read");
            }
        }
        try {
            return idle.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(file + ": interrupted while waiting for the index");
        }
    }

    /** SQL of every statement any pooled connection has prepared. */
    java.util.Set<String> preparedSql() {
        java.util.Set<String> sql = new java.util.TreeSet<>();
        synchronized (all) {
            for (IndexConnection c : all) {
                sql.addAll(c.preparedSql());
            }
        }
        return sql;
    }

    Path file() {
        return file;
    }

    /** Whether the {@code files} table has rowids (see {@link FileEntry#row}). */
    boolean filesHaveRows() {
        return filesKey.equals("rowid");
    }

    /** Whether {@code files} has a unique index on {@code path}, which a range of paths can be read from alone. */
    boolean filesPathIndexed() {
        return filesPathIndexed;
    }

    /** Column the listings of {@code table} page by: {@code rowid} or {@code path}. */
    String pageKey(Table table) {
        return table == Table.FILES ? filesKey : dirsKey;
    }

    /** What {@link #readFile} puts in place of an offset or size that is not an INTEGER value (text, blob, real, NULL). */
    static final long NOT_AN_INTEGER = Long.MIN_VALUE;
    /** What {@link #readFile} puts in place of a shard number that is not an INTEGER value. */
    static final int SHARD_NOT_AN_INTEGER = Integer.MIN_VALUE;
    /** What {@link #readFile} puts in place of a shard number below -2^31+2 or above 2^31-1. */
    static final int SHARD_OUT_OF_RANGE = Integer.MIN_VALUE + 1;

    /**
     * A files row. Shard, offset and size are taken only when they are INTEGER values: anything else
     * becomes a negative marker that {@link Archive#checkLocation} refuses, since SQLite would read
     * text, blobs and reals as some small number and point the file at another file's bytes.
     * {@code utf8}: the index stores text as UTF-8, so the path can be read as bytes (see {@link #readPath}).
     */
    static FileEntry readFile(ResultSet rs, int first, boolean utf8) throws SQLException {
        return readFile(rs, first, utf8, FileEntry.NO_ROW);
    }

    /** {@link #readFile(ResultSet, int, boolean)} of the row with rowid {@code row}. */
    static FileEntry readFile(ResultSet rs, int first, boolean utf8, long row) throws SQLException {
        String path = readPath(rs, first, utf8);
        long shardNumber = integer(rs, first + 1);
        int shard = shardNumber == NOT_AN_INTEGER ? SHARD_NOT_AN_INTEGER
                : shardNumber > SHARD_OUT_OF_RANGE && shardNumber <= Integer.MAX_VALUE ? (int) shardNumber
                : SHARD_OUT_OF_RANGE;
        long offset = integer(rs, first + 2);
        long size = integer(rs, first + 3);
        Long crc = nullableLong(rs, first + 4);
        return new FileEntry(path, new ShardLocation(shard, offset), size, crc, readAttributes(rs, first + 5), row);
    }

    /**
     * A row of {@code table}, its columns as {@link Table#columns} lists them from {@code first};
     * {@code row}: its rowid for a files row, else {@link FileEntry#NO_ROW}.
     */
    static Entry readEntry(ResultSet rs, int first, Table table, boolean utf8, long row) throws SQLException {
        return table == Table.FILES ? readFile(rs, first, utf8, row) : readDir(rs, first, utf8);
    }

    /** A dirs row; {@code utf8} as for {@link #readFile}. */
    static DirEntry readDir(ResultSet rs, int first, boolean utf8) throws SQLException {
        String path = readPath(rs, first, utf8);
        DirStats stats = new DirStats(rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3),
                rs.getLong(first + 4));
        return new DirEntry(path, stats, readAttributes(rs, first + 5));
    }

    /**
     * A text column. When the index stores text as UTF-8 (every Barecat index does; SQLite allows
     * UTF-16), its bytes are taken as they are and decoded here: sqlite-jdbc's own text path wraps each
     * value in a new direct buffer from native code, which took longer than the rest of a name-only
     * listing row.
     */
    static String readPath(ResultSet rs, int column, boolean utf8) throws SQLException {
        if (!utf8) {
            return rs.getString(column);
        }
        byte[] bytes = rs.getBytes(column);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static Attributes readAttributes(ResultSet rs, int first) throws SQLException {
        Long mode = nullableLong(rs, first);
        Long uid = nullableLong(rs, first + 1);
        Long gid = nullableLong(rs, first + 2);
        Long mtime = nullableLong(rs, first + 3);
        if (mode == null && uid == null && gid == null && mtime == null) {
            return Attributes.NONE;
        }
        return new Attributes(mode == null ? null : mode.intValue(), uid == null ? null : uid.intValue(),
                gid == null ? null : gid.intValue(), mtime);
    }

    /** Binds mode, uid, gid and mtime_ns to four parameters from {@code first}; returns the next parameter's index. */
    static int bindAttributes(PreparedStatement s, int first, Attributes a) throws SQLException {
        s.setObject(first, a.mode());
        s.setObject(first + 1, a.uid());
        s.setObject(first + 2, a.gid());
        s.setObject(first + 3, a.mtimeNs());
        return first + 4;
    }

    /** The column's value when it is an INTEGER, else {@link #NOT_AN_INTEGER}. */
    private static long integer(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        return value instanceof Long || value instanceof Integer ? ((Number) value).longValue() : NOT_AN_INTEGER;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** Percent-encodes everything but unreserved characters and {@code /}, for an SQLite URI filename. */
    static String percentEncode(String path) {
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

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (IndexConnection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing a read-only connection loses nothing
                }
            }
            all.clear();
        }
        idle.clear();
        try {
            held.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
