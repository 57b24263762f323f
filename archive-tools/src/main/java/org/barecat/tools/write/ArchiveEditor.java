package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.InvalidArchivePathException;
import org.barecat.core.internal.IndexRows;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Removes and renames entries of an archive in place, in one transaction that {@link #commit()}
 * commits: a crash or {@link #close()} before it leaves the archive as it was. Only the index
 * changes: a removed file's bytes stay in its shard as a gap (what {@code defrag} reclaims). The
 * directory statistics are recomputed from the files before the commit, with the index's triggers
 * held off meanwhile, so they come out right whether the index has triggers or not. Not thread-safe.
 */
public final class ArchiveEditor implements AutoCloseable {
    private final ArchiveFiles files;
    private final WritableIndex index;
    private final Connection db;
    private final Long triggersWere;
    private boolean done;

    private ArchiveEditor(ArchiveFiles files, WritableIndex index) throws SQLException {
        this.files = files;
        this.index = index;
        this.db = index.connection();
        triggersWere = index.configInt("use_triggers");
        if (triggersWere != null) {
            execute("UPDATE config SET value_int = 0 WHERE key = 'use_triggers'");
        }
    }

    /**
     * Opens the archive the user named (either index naming) for editing.
     *
     * @throws NoSuchFileException when there is no such archive
     * @throws IOException         naming the index when it is in use or not an archive this library can write to
     */
    public static ArchiveEditor open(Path archive) throws IOException {
        return WritableIndex.open(archive, ArchiveEditor::new);
    }

    /**
     * Removes a file, or a directory with everything below it.
     *
     * @throws NoSuchFileException          when the archive has no such entry
     * @throws InvalidArchivePathException  for the root or a path that cannot be in an archive
     */
    public void remove(String path) throws IOException {
        String p = entryPath(path);
        try {
            Kind kind = kindOf(p);
            if (kind == Kind.NONE) {
                throw new NoSuchFileException(path, null, "no such file or directory in " + files.index());
            }
            deleteRows(db, p, kind == Kind.DIR);
        } catch (SQLException e) {
            throw failure(files, e);
        }
    }

    /**
     * Deletes the row of file {@code p}, or directory {@code p} with every row below it: the one way
     * entries leave an archive ({@code rm} here, {@code rsync --delete} through {@link ArchiveAppender}).
     */
    static void deleteRows(Connection db, String p, boolean directory) throws SQLException {
        update(db, "DELETE FROM files WHERE path = ?", p);
        if (directory) {
            update(db, "DELETE FROM files WHERE path >= ? AND path < ?", IndexRows.descendantPrefix(p),
                    IndexRows.descendantUpperBound(p));
            update(db, "DELETE FROM dirs WHERE path >= ? AND path < ?", IndexRows.descendantPrefix(p),
                    IndexRows.descendantUpperBound(p));
            update(db, "DELETE FROM dirs WHERE path = ?", p);
        }
    }

    /**
     * Renames a file or a directory (with everything below it), as {@code mv} does: into {@code to}
     * when that is a directory, else to {@code to}, whose parent directory must exist.
     *
     * @return the new path
     * @throws NoSuchFileException        when {@code from} or {@code to}'s parent does not exist
     * @throws FileAlreadyExistsException when the new path exists
     */
    public String move(String from, String to) throws IOException {
        String src = entryPath(from);
        String dst = ArchivePaths.normalize(to);
        if (dst == null) {
            throw new InvalidArchivePathException(to, ArchivePaths.whyInvalid(to));
        }
        try {
            Kind kind = kindOf(src);
            if (kind == Kind.NONE) {
                throw new NoSuchFileException(from, null, "no such file or directory in " + files.index());
            }
            if (kindOf(dst) == Kind.DIR) {
                dst = ArchivePaths.child(dst, src.substring(src.lastIndexOf('/') + 1));
            }
            if (kind == Kind.DIR && (dst.equals(src) || dst.startsWith(src + "/"))) {
                throw new IOException(from + ": cannot move a directory into itself (" + dst + ")");
            }
            if (kindOf(dst) != Kind.NONE) {
                throw new FileAlreadyExistsException(dst, null, "already exists in " + files.index());
            }
            String parent = ArchivePaths.parent(dst);
            if (kindOf(parent) != Kind.DIR) {
                throw new NoSuchFileException(parent, null, "no such directory in " + files.index());
            }
            if (kind == Kind.FILE) {
                update("UPDATE files SET path = ? WHERE path = ?", dst, src);
            } else {
                for (String table : new String[] {"files", "dirs"}) {
                    try (PreparedStatement s = db.prepareStatement("UPDATE " + table
                            + " SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?")) {
                        s.setString(1, dst);
                        s.setInt(2, src.length() + 1);
                        s.setString(3, IndexRows.descendantPrefix(src));
                        s.setString(4, IndexRows.descendantUpperBound(src));
                        s.executeUpdate();
                    }
                }
                update("UPDATE dirs SET path = ? WHERE path = ?", dst, src);
            }
            return dst;
        } catch (SQLException e) {
            throw failure(files, e);
        }
    }

    /** Brings the directory statistics up to date, puts the triggers back as they were, and commits. */
    public void commit() throws IOException {
        try {
            DirStatsScan.rebuild(db);
            if (triggersWere != null) {
                try (PreparedStatement s = db.prepareStatement("UPDATE config SET value_int = ? WHERE key = 'use_triggers'")) {
                    s.setLong(1, triggersWere);
                    s.executeUpdate();
                }
            }
            db.commit();
            done = true;
            index.close();
        } catch (SQLException e) {
            throw failure(files, e);
        }
    }

    /** Rolls back whatever was not committed. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            index.close(); // closing without a commit rolls the transaction back
        }
    }

    private enum Kind { NONE, FILE, DIR }

    /** What {@code p} names: a file row, a directory (a row, or rows below it), or nothing. */
    private Kind kindOf(String p) throws SQLException {
        if (p.isEmpty()) {
            return Kind.DIR;
        }
        if (exists("SELECT 1 FROM files WHERE path = ?", p)) {
            return Kind.FILE;
        }
        if (exists("SELECT 1 FROM dirs WHERE path = ?", p)
                || exists("SELECT 1 FROM files WHERE path >= ? AND path < ? LIMIT 1", IndexRows.descendantPrefix(p),
                        IndexRows.descendantUpperBound(p))
                || exists("SELECT 1 FROM dirs WHERE path >= ? AND path < ? LIMIT 1", IndexRows.descendantPrefix(p),
                        IndexRows.descendantUpperBound(p))) {
            return Kind.DIR;
        }
        return Kind.NONE;
    }

    /** {@code path} normalised; the root is refused (it cannot be removed or moved). */
    private static String entryPath(String path) throws InvalidArchivePathException {
        String p = ArchivePaths.normalize(path);
        if (p == null) {
            throw new InvalidArchivePathException(path, ArchivePaths.whyInvalid(path));
        }
        if (p.isEmpty()) {
            throw new InvalidArchivePathException(path, "the archive's root");
        }
        return p;
    }

    private boolean exists(String sql, String... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void update(String sql, String... args) throws SQLException {
        update(db, sql, args);
    }

    private static void update(Connection db, String sql, String... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static IOException failure(ArchiveFiles files, SQLException e) {
        return new IOException(files.index() + ": " + e.getMessage(), e);
    }
}
