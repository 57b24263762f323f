package org.barecat.core.internal;

import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.FileEntry;
import org.barecat.core.ShardLocation;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Rows of an archive's index as this library reads and writes them: the columns, entries from rows,
 * attributes bound to statements, and the order and ranges of paths the index searches by.
 */
public final class IndexRows {
    /** The {@code files} columns {@link #readFile} reads, in its order. */
    public static final String FILE_COLUMNS = "path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns";
    /** How many columns {@link #FILE_COLUMNS} names. */
    public static final int FILE_COLUMN_COUNT = 9;
    /** The {@code dirs} columns {@link #readDir} reads, in its order. */
    public static final String DIR_COLUMNS =
            "path, num_subdirs, num_files, num_files_tree, size_tree, mode, uid, gid, mtime_ns";

    /** What {@link #readFile} puts in place of an offset or size that is not an INTEGER value (text, blob, real, NULL). */
    public static final long NOT_AN_INTEGER = Long.MIN_VALUE;
    /** What {@link #readFile} puts in place of a shard number that is not an INTEGER value. */
    public static final int SHARD_NOT_AN_INTEGER = Integer.MIN_VALUE;
    /** What {@link #readFile} puts in place of a shard number below -2^31+2 or above 2^31-1. */
    public static final int SHARD_OUT_OF_RANGE = Integer.MIN_VALUE + 1;

    private IndexRows() {
    }

    /**
     * A files row. Shard, offset and size are taken only when they are INTEGER values: anything else
     * becomes a negative marker that {@link org.barecat.core.Archive#checkLocation} refuses, since SQLite
     * would read text, blobs and reals as some small number and point the file at another file's bytes.
     * {@code utf8}: the index stores text as UTF-8, so the path can be read as bytes (see {@link #readPath}).
     */
    public static FileEntry readFile(ResultSet rs, int first, boolean utf8) throws SQLException {
        return readFile(rs, first, utf8, FileEntry.NO_ROW);
    }

    /** {@link #readFile(ResultSet, int, boolean)} of the row with rowid {@code row}. */
    public static FileEntry readFile(ResultSet rs, int first, boolean utf8, long row) throws SQLException {
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

    /** A dirs row; {@code utf8} as for {@link #readFile}. */
    public static DirEntry readDir(ResultSet rs, int first, boolean utf8) throws SQLException {
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
    public static String readPath(ResultSet rs, int column, boolean utf8) throws SQLException {
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
    public static int bindAttributes(PreparedStatement s, int first, Attributes a) throws SQLException {
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

    /** Prefix every descendant path of {@code dir} starts with. */
    public static String descendantPrefix(String dir) {
        return dir.isEmpty() ? "" : dir + "/";
    }

    /**
     * The smallest string greater than every path under {@code dir} ({@code '0'} follows
     * {@code '/'}), or {@code null} for the root whose descendants have no upper bound.
     */
    public static String descendantUpperBound(String dir) {
        return dir.isEmpty() ? null : dir + "0";
    }

    /** Orders strings as SQLite's BINARY collation does, the order of the index on paths: by their UTF-8 bytes. */
    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    return xs ? 1 : -1; // surrogates encode code points above every BMP char
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
