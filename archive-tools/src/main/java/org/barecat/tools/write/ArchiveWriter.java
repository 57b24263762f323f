package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.FileEntry;
import org.barecat.core.InvalidArchivePathException;
import org.barecat.core.ShardLocation;
import org.barecat.core.internal.IndexRows;
import org.barecat.core.internal.SqliteLibrary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Writes a new archive: file bytes go to shards (a new shard starts when the next file would
 * pass the size limit), rows go to an index built under a temporary name and renamed into place by
 * {@link #close()}, so an interrupted write never leaves an index that looks complete.
 * Directory statistics are computed here and written in one pass at the end; the index's
 * triggers are then switched on so later edits by other programs keep them right.
 * Not thread-safe, except that {@link #abort()} may come from another thread (a signal handler).
 */
public final class ArchiveWriter extends CommittingSink {
    private static final int BATCH = 10_000;

    private final ArchiveFiles files;
    private final Path temporaryIndex;
    private final Connection db;
    private final PreparedStatement insertFile;
    private final Map<String, DirRow> dirs = new HashMap<>();
    private final ShardOutput shards;
    private int pendingRows;

    /** Statistics and metadata of one directory, gathered while files are added. */
    private static final class DirRow {
        Attributes attributes = Attributes.NONE;
        long numSubdirs;
        long numFiles;
        long numFilesTree;
        long sizeTree;
    }

    private ArchiveWriter(ArchiveFiles files, long shardSizeLimit) throws IOException {
        this.files = files;
        this.temporaryIndex = files.index().resolveSibling(files.index().getFileName() + ".incomplete");
        this.shards = ShardOutput.forNewArchive(files, shardSizeLimit);
        Files.deleteIfExists(temporaryIndex);
        try {
            db = SqliteLibrary.connect("jdbc:sqlite:" + temporaryIndex, new Properties());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                Schema.create(s, shardSizeLimit);
            }
            db.setAutoCommit(false);
            insertFile = db.prepareStatement("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid,"
                    + " mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            Files.deleteIfExists(temporaryIndex);
            throw indexFailure("cannot create the index: ", e);
        }
        dirs.put("", new DirRow());
    }

    /**
     * Starts a new archive at {@code archive} (index there, shards beside it).
     *
     * @param shardSizeLimit largest shard in bytes ({@link Long#MAX_VALUE} for no limit); a single
     *                       file larger than the limit gets a shard of its own
     * @param overwrite      replace an existing archive of that name; otherwise its existence is an error
     * @throws FileSystemException when {@code archive} is a directory
     */
    public static ArchiveWriter create(Path archive, long shardSizeLimit, boolean overwrite) throws IOException {
        if (shardSizeLimit <= 0) {
            throw new IllegalArgumentException("shard size limit must be positive: " + shardSizeLimit);
        }
        return new ArchiveWriter(clearForNew(archive, overwrite), shardSizeLimit);
    }

    /**
     * The files of a new archive at {@code archive}, an existing archive there removed first when
     * {@code overwrite} is asked for (links among its shards are removed, not what they point to).
     *
     * @throws FileAlreadyExistsException when an archive is there and {@code overwrite} is not asked for
     * @throws FileSystemException        when {@code archive} is a directory
     */
    static ArchiveFiles clearForNew(Path archive, boolean overwrite) throws IOException {
        ArchiveFiles files = ArchiveFiles.forNewArchive(archive);
        if (Files.isDirectory(files.index(), LinkOption.NOFOLLOW_LINKS)) { // never replaced, -f or not
            throw new FileSystemException(archive.toString(), null, "is a directory; name the file to make, e.g. "
                    + archive.resolve("data.barecat"));
        }
        boolean exists = Files.exists(files.index(), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(files.shard(0), LinkOption.NOFOLLOW_LINKS);
        if (exists && !overwrite) {
            throw new FileAlreadyExistsException(archive.toString(), null, "archive exists (overwrite not asked for)");
        }
        if (exists) {
            // the index goes first: an interrupted overwrite leaves no index that looks complete
            Files.deleteIfExists(files.index());
            Files.deleteIfExists(files.index().resolveSibling(files.index().getFileName()
                    + ArchiveFiles.LEGACY_INDEX_SUFFIX));
            for (int i = 0; Files.deleteIfExists(files.shard(i)); i++) {
                // remove the old archive's shards
            }
        }
        return files;
    }

    public static ArchiveWriter create(Path archive) throws IOException {
        return create(archive, Schema.UNLIMITED_SHARD_SIZE, false);
    }

    /** Adds a directory with its metadata (ancestors are created as needed). */
    @Override
    public void addDirectory(String path, Attributes attributes) throws IOException {
        dir(checkedPath(path)).attributes = attributes;
    }

    /** Adds a file whose bytes are {@code data}. */
    public FileEntry add(String path, byte[] data, Attributes attributes) throws IOException {
        return add(path, new java.io.ByteArrayInputStream(data), data.length, attributes);
    }

    /** Adds the regular file {@code source} with its mode, owner and mtime. */
    public FileEntry addFile(String path, Path source) throws IOException {
        Attributes attributes = attributesOf(source);
        try (InputStream in = Files.newInputStream(source)) {
            return add(path, in, Files.size(source), attributes);
        }
    }

    /** Reads mode, uid, gid and nanosecond mtime of a file or directory on disk (not following links). */
    public static Attributes attributesOf(Path source) throws IOException {
        Map<String, Object> a = Files.readAttributes(source, "unix:mode,uid,gid,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        return new Attributes((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), mtime);
    }

    /** Adds a file of exactly {@code size} bytes read from {@code data}. */
    @Override
    public FileEntry add(String path, InputStream data, long size, Attributes attributes) throws IOException {
        String p = checkedFilePath(path);
        CRC32C crc = new CRC32C();
        ShardLocation at = shards.write(p, data, size, crc);
        return record(new FileEntry(p, at, size, crc.getValue(), attributes));
    }

    @Override
    public FileEntry addUpTo(String path, InputStream data, long maxSize, Attributes attributes) throws IOException {
        String p = checkedFilePath(path);
        CRC32C crc = new CRC32C();
        ShardOutput.Placed at = shards.write(p, data, maxSize, crc, false);
        return record(new FileEntry(p, at.location(), at.size(), crc.getValue(), attributes));
    }

    @Override
    public FileEntry add(String path, ByteBuffer data, long crc32c, Attributes attributes) throws IOException {
        String p = checkedFilePath(path);
        long size = data.remaining();
        ShardLocation at = shards.write(data);
        return record(new FileEntry(p, at, size, crc32c, attributes));
    }

    private String checkedFilePath(String path) throws IOException {
        if (finished()) {
            throw new IOException(files.index() + ": the writer is closed");
        }
        String p = checkedPath(path);
        if (p.isEmpty()) {
            throw new InvalidArchivePathException("'" + path + "': a file needs a name");
        }
        if (dirs.containsKey(p)) {
            throw new FileAlreadyExistsException(p, null, "already in the archive as a directory");
        }
        dir(ArchivePaths.parent(p)); // before any byte is written: fails when an ancestor is a file
        return p;
    }

    private FileEntry record(FileEntry entry) throws IOException {
        long size = entry.size();
        String p = entry.path();
        insert(entry);
        String parent = ArchivePaths.parent(p);
        dir(parent).numFiles++;
        for (String d = parent; ; d = ArchivePaths.parent(d)) {
            DirRow row = dirs.get(d);
            row.numFilesTree++;
            row.sizeTree += size;
            if (d.isEmpty()) {
                break;
            }
        }
        return entry;
    }

    private void insert(FileEntry e) throws IOException {
        try {
            insertFile.setString(1, e.path());
            insertFile.setInt(2, e.location().shard());
            insertFile.setLong(3, e.location().offset());
            insertFile.setLong(4, e.size());
            insertFile.setObject(5, e.crc32c());
            IndexRows.bindAttributes(insertFile, 6, e.attributes());
            insertFile.executeUpdate();
            if (++pendingRows >= BATCH) {
                db.commit();
                pendingRows = 0;
            }
        } catch (SQLException ex) {
            if (String.valueOf(ex.getMessage()).contains("UNIQUE")) {
                throw new FileAlreadyExistsException(e.path(), null, "already in the archive");
            }
            throw indexFailure("", ex);
        }
    }

    private boolean isFile(String path) throws IOException {
        try (PreparedStatement s = db.prepareStatement("SELECT 1 FROM files WHERE path = ?")) {
            s.setString(1, path);
            return s.executeQuery().next();
        } catch (SQLException e) {
            throw indexFailure("", e);
        }
    }

    /** The row of directory {@code path}, creating it and its ancestors on first use. */
    private DirRow dir(String path) throws IOException {
        DirRow row = dirs.get(path);
        if (row == null) {
            if (isFile(path)) {
                throw new FileAlreadyExistsException(path, null, "already in the archive as a file");
            }
            DirRow parent = dir(ArchivePaths.parent(path));
            parent.numSubdirs++;
            row = new DirRow();
            dirs.put(path, row);
        }
        return row;
    }

    /** The archive path for {@code path} as given; fails for a path no entry may have. */
    static String checkedPath(String path) throws InvalidArchivePathException {
        String p = ArchivePaths.normalize(path);
        if (p == null) {
            throw new InvalidArchivePathException(path, ArchivePaths.whyInvalid(path));
        }
        return p;
    }

    /** Writes the directory rows, switches triggers on and moves the index into place. */
    @Override
    void commit() throws IOException, SQLException {
        shards.ensureShard(); // an empty archive still has shard 0, as the Python implementation makes it
        shards.close();
        try (PreparedStatement s = db.prepareStatement("INSERT INTO dirs (path, num_subdirs, num_files,"
                + " num_files_tree, size_tree, mode, uid, gid, mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            List<Map.Entry<String, DirRow>> sorted = new ArrayList<>(dirs.entrySet());
            sorted.sort((x, y) -> IndexRows.compareUtf8(x.getKey(), y.getKey())); // rows in path order
            for (Map.Entry<String, DirRow> e : sorted) {
                DirRow d = e.getValue();
                s.setString(1, e.getKey());
                s.setLong(2, d.numSubdirs);
                s.setLong(3, d.numFiles);
                s.setLong(4, d.numFilesTree);
                s.setLong(5, d.sizeTree);
                IndexRows.bindAttributes(s, 6, d.attributes);
                s.addBatch();
            }
            s.executeBatch();
        }
        Schema.useTriggers(db, true);
        db.commit();
        insertFile.close();
        db.close();
        Files.move(temporaryIndex, files.index(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        committed();
    }

    @Override
    IOException failure(SQLException e) {
        return indexFailure("", e);
    }

    /** An index that could not be written (a full disk, say), named as the file it is. */
    private FileSystemException indexFailure(String what, SQLException e) {
        FileSystemException failure = new FileSystemException(temporaryIndex.toString(), null, what + e.getMessage());
        failure.initCause(e);
        return failure;
    }

    /** Removes the temporary index and the shards this writer created. */
    @Override
    void rollBack() {
        try {
            if (!db.isClosed()) {
                db.close();
            }
        } catch (SQLException ignored) {
            // being thrown away
        }
        shards.rollBack();
        try {
            Files.deleteIfExists(temporaryIndex);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
