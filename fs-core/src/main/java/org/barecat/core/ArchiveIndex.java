package org.barecat.core;

import org.barecat.core.internal.IndexRows;
import org.barecat.core.internal.IndexSchema;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    /** The two tables, with the column listings page through: rowid where the table has one, else path. */
    enum Table {
        FILES("files", IndexRows.FILE_COLUMNS), DIRS("dirs", IndexRows.DIR_COLUMNS);

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
                index.holdSharedLock();
                return index;
            }
            index.close();
            if (attempt == 3) {
                throw new IOException(file + ": the index keeps being replaced while it is opened");
            }
        }
    }

    /**
     * Takes a shared lock on the whole index until it is closed, so that the commands that change an
     * archive in place refuse to while it is read (a mount, above all). Best effort: where the file
     * system has no locks, or a writer or this JVM holds one on the file already, reading goes on
     * without it.
     * SQLite takes no locks of its own here ({@code immutable=1}), so it cannot release this one.
     */
    private void holdSharedLock() {
        try {
            held.tryLock(0, Long.MAX_VALUE, true);
        } catch (IOException | OverlappingFileLockException e) {
            // no lock: nothing more to do
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
                IndexSchema.Layout layout = IndexSchema.check(file, c.connection());
                filesKey = layout.filesHaveRowids() ? "rowid" : "path";
                filesPathIndexed = layout.filesPathIndexed();
                dirsKey = layout.dirsHaveRowids() ? "rowid" : "path";
                utf8 = layout.utf8();
                return null;
            });
        } catch (IOException e) {
            if (!replaced) {
                throw e;
            }
            // replaced before a connection could be made: open() tries again
        }
    }

    /** Whether text in this index is stored as UTF-8 (see {@link IndexRows#readPath}). */
    boolean utf8() {
        return utf8;
    }

    /**
     * A new connection to the file first opened, or null when the path names another file now (see
     * the class comment).
     */
    private IndexConnection connect() throws SQLException {
        if (!stillNamesFirst()) {
            return null;
        }
        Connection connection;
        try {
            connection = IndexSchema.openReadOnly(file);
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
            throw IndexSchema.describe(file, e);
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

    /**
     * A row of {@code table}, its columns as {@link Table#columns} lists them from {@code first};
     * {@code row}: its rowid for a files row, else {@link FileEntry#NO_ROW}.
     */
    static Entry readEntry(ResultSet rs, int first, Table table, boolean utf8, long row) throws SQLException {
        return table == Table.FILES ? IndexRows.readFile(rs, first, utf8, row) : IndexRows.readDir(rs, first, utf8);
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
