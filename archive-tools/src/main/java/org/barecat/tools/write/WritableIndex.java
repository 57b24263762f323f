package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.internal.IndexSchema;
import org.barecat.core.internal.SqliteLibrary;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An existing archive's index opened for changing it in place: a connection in a transaction that
 * holds SQLite's write lock, opened only when no reader holds the archive (a mount, or any program
 * reading it through fs-core, holds a shared lock on the index while it has it open). An exclusive
 * lock on the index is held until {@link #close()}, so that no mount starts between the commits of
 * a change made in several (defrag).
 */
final class WritableIndex implements AutoCloseable {
    private final Connection db;
    /** Holds the exclusive lock; null where the file system has no locks. */
    private final FileChannel lock;

    private WritableIndex(Connection db, FileChannel lock) {
        this.db = db;
        this.lock = lock;
    }

    /**
     * Opens the index of {@code files} for writing.
     *
     * @throws IOException naming the index when it is in use or cannot be opened for writing
     */
    static WritableIndex open(ArchiveFiles files) throws IOException {
        IndexSchema.check(files.index()); // checks the schema and version
        for (int shard = 0; Files.exists(files.shard(shard), LinkOption.NOFOLLOW_LINKS); shard++) {
            if (Files.isSymbolicLink(files.shard(shard))) {
                throw new IOException(files.index() + ": its shards are links to files it does not own (convert"
                        + " --wrap, merge --symlink); it cannot be changed in place");
            }
        }
        FileChannel lock = lockExclusively(files.index());
        Connection db = null;
        try {
            db = SqliteLibrary.connect("jdbc:sqlite:" + files.index(), new Properties());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA recursive_triggers = ON");
                s.execute("PRAGMA cache_size = -65536");
            }
            db.setAutoCommit(false);
            Resharder.finishInterrupted(files, db); // before any writer relies on the shards' names
            try (Statement s = db.createStatement()) {
                // take the write lock now: fail early when another program is writing
                s.execute("UPDATE config SET value_int = value_int WHERE key = 'use_triggers'");
            }
            return new WritableIndex(db, lock);
        } catch (SQLException e) {
            new WritableIndex(db, lock).close();
            throw new IOException(files.index() + ": cannot open the index for writing: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            new WritableIndex(db, lock).close();
            throw e;
        }
    }

    /** What a writer makes of an opened index (its constructor); when it fails, the index is closed. */
    interface Opener<T> {
        T open(ArchiveFiles files, WritableIndex index) throws SQLException, IOException;
    }

    /** Opens the archive the user named (either index naming) and hands its index to {@code opener}. */
    static <T> T open(Path archive, Opener<T> opener) throws IOException {
        ArchiveFiles files = ArchiveFiles.locate(archive);
        WritableIndex index = open(files);
        try {
            return opener.open(files, index);
        } catch (SQLException e) {
            index.close();
            throw new IOException(files.index() + ": cannot open the index for writing: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    Connection connection() {
        return db;
    }

    /** A {@code config} row's integer, or null when the row, its value or the table (a very old index) is missing. */
    Long configInt(String key) {
        try (PreparedStatement s = db.prepareStatement("SELECT value_int FROM config WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        } catch (SQLException e) {
            return null; // no config table
        }
    }

    /** Closes the connection (rolling back what was not committed), then gives up the lock. */
    @Override
    public void close() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // closing without a commit rolls back too
        }
        try {
            if (lock != null) {
                lock.close(); // after the connection: closing drops every lock this process holds on the file
            }
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }

    /**
     * An exclusive lock on the whole index, held by the channel returned, or null where the file system
     * has no locks (NFS without a lock manager) or the index is not writable (SQLite says so when the
     * transaction starts). Fails when another process (or this one) holds a lock on it: a mount's
     * shared lock, another writer's. Taken before SQLite opens the file; SQLite's own locks, taken in
     * the same process, do not conflict with it.
     */
    private static FileChannel lockExclusively(Path index) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(index, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            return null;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            return null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(index + ": the archive is mounted or open in another program;"
                    + " unmount it (fusermount -u MOUNTPOINT) or close that program first");
        }
        return channel;
    }
}
