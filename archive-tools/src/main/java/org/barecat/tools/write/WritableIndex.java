package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.internal.IndexSchema;
import org.barecat.core.internal.SqliteLibrary;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens an existing archive's index for changing it in place: in one transaction, with the write
 * lock taken at once, and only when no reader holds the archive (a mount, or any program reading it
 * through fs-core, holds a shared lock on the index for as long as it has it open).
 */
final class WritableIndex {
    private WritableIndex() {
    }

    /**
     * A connection in a transaction that holds SQLite's write lock.
     *
     * @throws IOException naming the index when it is in use or cannot be opened for writing
     */
    static Connection open(ArchiveFiles files) throws IOException {
        IndexSchema.check(files.index()); // checks the schema and version
        refuseWhileRead(files.index());
        Connection db = null;
        try {
            db = SqliteLibrary.connect("jdbc:sqlite:" + files.index(), new Properties());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA recursive_triggers = ON");
                s.execute("PRAGMA cache_size = -65536");
            }
            db.setAutoCommit(false);
            try (Statement s = db.createStatement()) {
                // take the write lock now: fail early when another program is writing
                s.execute("UPDATE config SET value_int = value_int WHERE key = 'use_triggers'");
            }
            return db;
        } catch (SQLException e) {
            closeQuietly(db);
            throw new IOException(files.index() + ": cannot open the index for writing: " + e.getMessage(), e);
        }
    }

    /**
     * Fails when another process (or this one) holds a lock on the index: a mount's shared lock, or
     * another writer's. Checked before SQLite opens the file, as closing this channel drops every lock
     * this process holds on it. Where the file system has no locks (NFS without a lock manager) there
     * is nothing to check.
     */
    private static void refuseWhileRead(Path index) throws IOException {
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                return;
            }
            if (lock == null) {
                throw new IOException(index + ": the archive is mounted or open in another program;"
                        + " unmount it (fusermount -u MOUNTPOINT) or close that program first");
            }
            lock.release();
        } catch (AccessDeniedException e) {
            // not writable: SQLite says so when the transaction starts
        }
    }

    static void closeQuietly(Connection db) {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // already failing
        }
    }
}
