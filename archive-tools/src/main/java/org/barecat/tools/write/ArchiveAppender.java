package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchiveFormatException;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.FileEntry;
import org.barecat.core.InvalidArchivePathException;
import org.barecat.core.ShardLocation;
import org.barecat.core.internal.IndexRows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Adds entries to an existing archive, in place: bytes go after the last file the index has (bytes
 * past it, which belong to no file, are cut off first; a new shard starts at the archive's size
 * limit), rows go into the index inside one transaction that
 * {@link #close()} commits after the new bytes are on disk. {@link #abort()}, or a crash before the
 * commit, leaves the index as it was (SQLite rolls the transaction back); abort also cuts the shards
 * back. Directory statistics stay right: through the index's triggers when they are on (with
 * {@code recursive_triggers}, as the Python barecat opens every index), else by recomputing them
 * from the files before the commit. Not thread-safe, except {@link #abort()}.
 */
public final class ArchiveAppender extends CommittingSink {
    private static final List<String> STATISTICS_TRIGGERS = List.of("add_file", "del_file", "move_file",
            "resize_file", "add_subdir", "del_subdir", "move_subdir", "resize_dir");

    /** What to do with a file path that is already in the archive. */
    public enum Existing {
        /** It is an error ({@link FileAlreadyExistsException}). */
        FAIL,
        /** Store the new bytes and point the path at them (the old bytes become an unused gap). */
        OVERWRITE,
        /** Keep the archive's file; the new one is not read. */
        SKIP
    }

    /** A directory added with its metadata, to be put back after the triggers have touched its mtime. */
    private record AddedDir(String path, Attributes attributes) {
    }

    private final ArchiveFiles files;
    private final Existing existing;
    private final WritableIndex index;
    private final Connection db;
    private final boolean triggersOn;
    private final ShardOutput shards;
    private final Set<String> knownDirs = new HashSet<>();
    private final List<AddedDir> addedDirs = new ArrayList<>();
    private final PreparedStatement findFile;
    private final PreparedStatement findDir;
    private final PreparedStatement findBelow;
    private final PreparedStatement insertFile;
    private final PreparedStatement updateFile;
    private final PreparedStatement insertDir;
    private final PreparedStatement upsertDir;

    private ArchiveAppender(ArchiveFiles files, Existing existing, WritableIndex index) throws SQLException, IOException {
        this.files = files;
        this.existing = existing;
        this.index = index;
        this.db = index.connection();
        this.triggersOn = Objects.requireNonNullElse(index.configInt("use_triggers"), 0L) == 1
                && countTriggers() == STATISTICS_TRIGGERS.size();
        long limit = Objects.requireNonNullElse(index.configInt("shard_size_limit"), Schema.UNLIMITED_SHARD_SIZE);
        ShardLocation end = logicalEnd();
        removeShardsAfter(end.shard());
        this.shards = ShardOutput.appendingTo(files, limit > 0 ? limit : Schema.UNLIMITED_SHARD_SIZE, end.shard(),
                end.offset());
        findFile = db.prepareStatement("SELECT " + IndexRows.FILE_COLUMNS + " FROM files WHERE path = ?");
        findDir = db.prepareStatement("SELECT 1 FROM dirs WHERE path = ?");
        findBelow = db.prepareStatement("SELECT 1 FROM files WHERE path > ? AND path < ? LIMIT 1");
        insertFile = db.prepareStatement("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid,"
                + " mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        updateFile = db.prepareStatement("UPDATE files SET shard = ?, offset = ?, size = ?, crc32c = ?, mode = ?,"
                + " uid = ?, gid = ?, mtime_ns = ? WHERE path = ?");
        insertDir = db.prepareStatement("INSERT INTO dirs (path) VALUES (?)");
        upsertDir = db.prepareStatement("INSERT INTO dirs (path, mode, uid, gid, mtime_ns) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT(path) DO UPDATE SET mode = excluded.mode, uid = excluded.uid, gid = excluded.gid,"
                + " mtime_ns = excluded.mtime_ns");
    }

    /**
     * Opens the archive the user named (either index naming) for appending.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such archive
     * @throws ArchiveFormatException            when it is not a Barecat archive this library can write to
     */
    public static ArchiveAppender open(Path archive, Existing existing) throws IOException {
        return WritableIndex.open(archive, (files, index) -> new ArchiveAppender(files, existing, index));
    }

    /** Whether the index's triggers keep the statistics (else they are recomputed at {@link #close()}). */
    public boolean usesTriggers() {
        return triggersOn;
    }

    private int countTriggers() throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                + " AND name IN (" + "?, ".repeat(STATISTICS_TRIGGERS.size() - 1) + "?)")) {
            for (int i = 0; i < STATISTICS_TRIGGERS.size(); i++) {
                s.setString(i + 1, STATISTICS_TRIGGERS.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /**
     * Where the bytes the index accounts for end, which is where new bytes go: after the file with the
     * highest offset in the highest shard that has a file (byte 0 of shard 0 when none has). Bytes past
     * it belong to no file: a writer stopped before it committed its rows (killed, a crash) leaves them,
     * and appending after them would keep them for good. Offset -1 (append at the shard's physical end)
     * when the last row's location is not a pair of non-negative integers (a damaged index).
     */
    private ShardLocation logicalEnd() throws SQLException, IOException {
        long shard;
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(shard) FROM files WHERE shard < ''")) { // numbers only
            shard = rs.next() ? rs.getLong(1) : 0;
            shard = rs.wasNull() ? 0 : shard;
        }
        if (shard < 0 || shard >= Integer.MAX_VALUE) {
            throw new IOException(files.index() + ": cannot append: the index names shard " + shard);
        }
        try (PreparedStatement s = db.prepareStatement("SELECT offset, size, typeof(offset), typeof(size)"
                + " FROM files WHERE shard = ? AND offset < '' ORDER BY offset DESC LIMIT 1")) {
            s.setLong(1, shard);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new ShardLocation((int) shard, 0);
                }
                long offset = rs.getLong(1);
                long size = rs.getLong(2);
                boolean integers = "integer".equals(rs.getString(3)) && "integer".equals(rs.getString(4));
                return new ShardLocation((int) shard, integers && offset >= 0 && size >= 0
                        && offset <= Long.MAX_VALUE - size ? offset + size : -1);
            }
        }
    }

    /** Deletes the shards after {@code last}: no file is in them (see {@link #logicalEnd}). */
    private void removeShardsAfter(int last) throws IOException {
        for (int shard = last + 1; Files.deleteIfExists(files.shard(shard)); shard++) {
            // a shard a stopped writer started
        }
    }

    @Override
    public void addDirectory(String path, Attributes attributes) throws IOException {
        String p = ArchiveWriter.checkedPath(path);
        try {
            if (fileRow(p) != null) {
                throw new FileAlreadyExistsException(p, null, "already in the archive as a file");
            }
            if (!p.isEmpty()) {
                ensureDirectory(ArchivePaths.parent(p));
            }
            if (existing == Existing.SKIP && hasDirRow(p)) {
                knownDirs.add(p);
                return;
            }
            upsertDir.setString(1, p);
            IndexRows.bindAttributes(upsertDir, 2, attributes);
            upsertDir.executeUpdate();
            knownDirs.add(p);
            if (triggersOn) {
                addedDirs.add(new AddedDir(p, attributes));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean skips(String path) throws IOException {
        String p = ArchivePaths.normalize(path);
        try {
            return existing == Existing.SKIP && p != null && fileRow(p) != null;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public FileEntry add(String path, InputStream data, long size, Attributes attributes) throws IOException {
        return store(path, p -> {
            CRC32C crc = new CRC32C();
            ShardLocation at = shards.write(p, data, size, crc);
            return new FileEntry(p, at, size, crc.getValue(), attributes);
        });
    }

    @Override
    public FileEntry addUpTo(String path, InputStream data, long maxSize, Attributes attributes) throws IOException {
        return store(path, p -> {
            CRC32C crc = new CRC32C();
            ShardOutput.Placed at = shards.write(p, data, maxSize, crc, false);
            return new FileEntry(p, at.location(), at.size(), crc.getValue(), attributes);
        });
    }

    @Override
    public FileEntry add(String path, ByteBuffer data, long crc32c, Attributes attributes) throws IOException {
        return store(path, p -> {
            long size = data.remaining();
            return new FileEntry(p, shards.write(data), size, crc32c, attributes);
        });
    }

    /**
     * Removes file {@code path} in the same transaction as what is added (rsync's {@code --delete});
     * its bytes stay in the shard as a gap. A path that is no file of the archive is left alone.
     *
     * @return whether a file was removed
     */
    public boolean removeFile(String path) throws IOException {
        String p = checkedFilePath(path);
        try {
            if (fileRow(p) == null) {
                return false;
            }
            ArchiveEditor.deleteRows(db, p, false); // the triggers, or the rebuild at close, keep the statistics
            return true;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Writes a file's bytes into the shards and says where they went. */
    private interface FileBytes {
        FileEntry write(String archivePath) throws IOException;
    }

    /**
     * Stores file {@code path}: its bytes unless the archive keeps the file it has there (SKIP), then its
     * row. Every add goes through here so the three kinds of input follow the same path rules.
     */
    private FileEntry store(String path, FileBytes bytes) throws IOException {
        String p = checkedFilePath(path);
        FileEntry old = placeFile(p);
        if (old != null && existing == Existing.SKIP) {
            return old;
        }
        return record(bytes.write(p), old != null);
    }

    private String checkedFilePath(String path) throws IOException {
        if (finished()) {
            throw new IOException(files.index() + ": the appender is closed");
        }
        String p = ArchiveWriter.checkedPath(path);
        if (p.isEmpty()) {
            throw new InvalidArchivePathException("'" + path + "': a file needs a name");
        }
        return p;
    }

    /**
     * Checks that file {@code p} may be stored (no directory there, none of its ancestors a file) and
     * makes its directory; returns the file row already at {@code p}, if any, when that is allowed.
     */
    private FileEntry placeFile(String p) throws IOException {
        try {
            FileEntry old = fileRow(p);
            if (old != null && existing == Existing.FAIL) {
                throw new FileAlreadyExistsException(p, null, "already in the archive");
            }
            if (old == null && (hasDirRow(p) || hasFileBelow(p))) {
                throw new FileAlreadyExistsException(p, null, "already in the archive as a directory");
            }
            ensureDirectory(ArchivePaths.parent(p));
            return old;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private FileEntry record(FileEntry e, boolean replacing) throws IOException {
        try {
            PreparedStatement s = replacing ? updateFile : insertFile;
            int i = 1;
            if (!replacing) {
                s.setString(i++, e.path());
            }
            s.setInt(i++, e.location().shard());
            s.setLong(i++, e.location().offset());
            s.setLong(i++, e.size());
            s.setObject(i++, e.crc32c());
            i = IndexRows.bindAttributes(s, i, e.attributes());
            if (replacing) {
                s.setString(i, e.path());
            }
            s.executeUpdate();
            return e;
        } catch (SQLException ex) {
            throw failure(ex);
        }
    }

    /** Makes sure directory {@code dir} has a row (and so do its ancestors); fails when it is a file. */
    private void ensureDirectory(String dir) throws SQLException, IOException {
        if (knownDirs.contains(dir)) {
            return;
        }
        if (!hasDirRow(dir)) {
            if (fileRow(dir) != null) {
                throw new FileAlreadyExistsException(dir, null, "already in the archive as a file");
            }
            if (!dir.isEmpty()) {
                ensureDirectory(ArchivePaths.parent(dir));
            }
            insertDir.setString(1, dir);
            insertDir.executeUpdate();
        }
        knownDirs.add(dir);
    }

    private FileEntry fileRow(String p) throws SQLException {
        findFile.setString(1, p);
        try (ResultSet rs = findFile.executeQuery()) {
            return rs.next() ? IndexRows.readFile(rs, 1, false) : null; // its own connection: text as SQLite gives it
        }
    }

    private boolean hasDirRow(String p) throws SQLException {
        findDir.setString(1, p);
        try (ResultSet rs = findDir.executeQuery()) {
            return rs.next();
        }
    }

    private boolean hasFileBelow(String p) throws SQLException {
        findBelow.setString(1, IndexRows.descendantPrefix(p));
        findBelow.setString(2, IndexRows.descendantUpperBound(p));
        try (ResultSet rs = findBelow.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    IOException failure(SQLException e) {
        return new IOException(files.index() + ": " + e.getMessage(), e);
    }

    /** Puts the added directories' metadata back, brings statistics up to date, syncs the shards and commits. */
    @Override
    void commit() throws IOException, SQLException {
        if (triggersOn) {
            try (PreparedStatement s = db.prepareStatement(
                    "UPDATE dirs SET mode = ?, uid = ?, gid = ?, mtime_ns = ? WHERE path = ?")) {
                for (AddedDir d : addedDirs) {
                    int i = IndexRows.bindAttributes(s, 1, d.attributes());
                    s.setString(i, d.path());
                    s.executeUpdate();
                }
            }
        } else {
            DirStatsScan.rebuild(db);
        }
        shards.ensureShard();
        shards.finish(true); // the bytes are on disk before the index points at them
        db.commit();
        committed();
        index.close();
    }

    /** Rolls the index back and cuts the shards back to where they ended. */
    @Override
    void rollBack() {
        index.close(); // closing without a commit rolls the transaction back
        shards.rollBack();
    }
}
