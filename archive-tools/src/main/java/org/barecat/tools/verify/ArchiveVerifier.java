package org.barecat.tools.verify;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.ShardSource;
import org.barecat.core.internal.IndexRows;
import org.barecat.core.internal.IndexSchema;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.write.DirStatsScan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Checks an archive: SQLite's own integrity check; every file's location against its shard (the
 * shard exists, offset and size are not negative, the bytes end within the shard); every file's
 * CRC-32C, reading the shards front to back in big sequential reads; paths no file system could
 * hold; and every {@code dirs} row's statistics against the files. Each problem goes to the
 * listener with the path it concerns; so do, as notes, bytes at a shard's end that belong to no
 * file. Memory does not grow with the archive.
 */
public final class ArchiveVerifier {
    private static final int READ_SIZE = 128 << 10;

    /**
     * What was checked.
     *
     * @param unchecked files without a stored checksum (their bytes were not compared)
     * @param problems  number of problems reported
     */
    public record Report(long files, long bytes, long unchecked, long problems) {
        public boolean ok() {
            return problems == 0;
        }
    }

    private final Source source;
    private final ProgressListener listener;
    private final boolean checksums;
    private long problems;
    private long checkedFiles;
    private long checkedBytes;
    private long unchecked;

    private ArchiveVerifier(Source source, boolean checksums, ProgressListener listener) {
        this.source = source;
        this.checksums = checksums;
        this.listener = listener;
    }

    /**
     * Verifies the archive the user named.
     *
     * @param checksums whether to read every file's bytes and compare checksums (false: a quick check)
     * @throws IOException when the archive cannot be opened at all (not an SQLite Barecat index)
     */
    public static Report verify(Path archive, boolean checksums, ProgressListener listener) throws IOException {
        ArchiveFiles files = ArchiveFiles.locate(archive);
        return verify(new Source(files.index(), files.index().toString(), shard -> files.shard(shard).toString(),
                shard -> FileShard.open(files.shard(shard))), checksums, listener);
    }

    /**
     * An archive's parts as the verifier reads them: a local index, and shards opened by number (local
     * files, or objects on a server).
     *
     * @param index     the index file (for an archive on a server, its local copy)
     * @param indexName the index's name in messages
     * @param shardName shard number to its name in messages
     * @param shards    opens a shard; {@link java.nio.file.NoSuchFileException} when it does not exist
     */
    public record Source(Path index, String indexName, IntFunction<String> shardName, ShardSource.Opener shards) {
    }

    /**
     * Verifies the archive made of {@code source}.
     *
     * @throws IOException when the index cannot be opened at all (not an SQLite Barecat index)
     */
    public static Report verify(Source source, boolean checksums, ProgressListener listener) throws IOException {
        ArchiveVerifier v = new ArchiveVerifier(source, checksums, listener);
        Path index = source.index();
        Connection connection = IndexSchema.openChecked(index);
        try {
            v.checkLeftovers();
            // the index checks run on their own connection and thread while the shards are read; their
            // problems are reported after the files' problems, so the report's order does not vary
            List<String[]> indexProblems = new ArrayList<>();
            CompletableFuture<Void> indexChecks = CompletableFuture.runAsync(() -> {
                try (Connection c = IndexSchema.openReadOnly(index)) {
                    v.integrityCheck(c, indexProblems);
                    try {
                        v.checkDirectories(c, indexProblems);
                    } catch (IOException e) {
                        throw new SQLException(e.getMessage(), e);
                    }
                } catch (SQLException e) {
                    throw new UncheckedIOException(IndexSchema.describe(index, e));
                }
            });
            try {
                long[] totals = totals(connection);
                listener.total(totals[0], checksums ? totals[1] : -1);
                try {
                    v.checkFiles(connection);
                } catch (IOException e) {
                    throw new SQLException(e.getMessage(), e);
                }
            } catch (SQLException e) {
                throw IndexSchema.describe(index, e);
            } finally {
                try {
                    indexChecks.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw e;
                }
            }
            for (String[] p : indexProblems) {
                v.problem(p[0], p[1]);
            }
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a read-only connection loses nothing
            }
        }
        return new Report(v.checkedFiles, v.checkedBytes, v.unchecked, v.problems);
    }

    private void problem(String path, String message) {
        problems++;
        listener.problem(path, message);
    }

    /** A change readers do not see: a journal to roll back, or a write-ahead log not yet in the index. */
    private void checkLeftovers() {
        String unseen = "changes not yet in the index (an interrupted or running write);"
                + " readers do not see them until a writer opens the archive again";
        if (IndexSchema.hasInterruptedChange(source.index())) {
            problem(IndexSchema.journalOf(source.index()).toString(), unseen);
        }
        Path wal = source.index().resolveSibling(source.index().getFileName() + "-wal");
        if (Files.exists(wal)) {
            problem(wal.toString(), unseen);
        }
    }

    private void integrityCheck(Connection c, List<String[]> problems) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equals(line)) {
                    problems.add(new String[] {source.indexName(), "SQLite integrity check: " + line});
                }
            }
        }
    }

    private static long[] totals(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(size), 0) FROM files")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Files in shard order, so that the shards are read front to back; then what lies after them. */
    private void checkFiles(Connection c) throws SQLException, IOException {
        TreeMap<Integer, Long> ends = new TreeMap<>();
        try (Shards shards = new Shards();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path, shard, offset, size, crc32c FROM files ORDER BY shard, offset")) {
            while (rs.next()) {
                String path = rs.getString(1);
                int shard = rs.getInt(2);
                long offset = rs.getLong(3);
                long size = rs.getLong(4);
                long crc = rs.getLong(5);
                boolean hasCrc = !rs.wasNull();
                if (offset >= 0 && size >= 0 && offset <= Long.MAX_VALUE - size) {
                    ends.merge(shard, offset + size, Math::max);
                }
                checkFile(shards, path, shard, offset, size, hasCrc ? crc : null);
                listener.done(path, size);
            }
            checkShardEnds(shards, ends);
        }
    }

    /**
     * Bytes at the end of a shard, after its last file, belong to no file: a writer stopped before it
     * committed its rows (killed, a crash) leaves them, and so can deleting files. They are noted, not
     * counted as problems: they take space, but every file reads right (as with gaps between files).
     * Appending cuts them off from the last shard that has a file, and removes the shards after it.
     */
    private void checkShardEnds(Shards shards, TreeMap<Integer, Long> ends) throws IOException {
        Set<Integer> toCheck = new TreeSet<>(ends.keySet());
        for (int shard = 0; shards.open(shard) != null; shard++) {
            toCheck.add(shard);
        }
        int last = ends.isEmpty() ? 0 : Math.max(0, ends.lastKey());
        for (int shard : toCheck) {
            if (shards.open(shard) == null) {
                continue; // a missing shard with files in it: reported with those files
            }
            long end = ends.getOrDefault(shard, 0L);
            long size = shards.size(shard);
            if (size > end) {
                listener.note(source.shardName().apply(shard), "bytes " + end + " to " + size + " belong to no file ("
                        + (size - end) + " bytes at the end, left by an interrupted write or by deleted files)"
                        + (shard == last ? "; appending to the archive cuts them off"
                        : shard > last ? "; appending to the archive removes this shard" : ""));
            }
        }
    }

    private void checkFile(Shards shards, String path, int shard, long offset, long size, Long crc)
            throws IOException {
        if (!ArchivePaths.isCanonical(path)) {
            problem(path, "not a valid path (empty, '.' or '..' component, leading '/', or a name over 255"
                    + " bytes): no file system can hold it");
        }
        if (offset < 0 || size < 0) {
            problem(path, "invalid location: offset " + offset + ", size " + size);
            return;
        }
        if (shards.open(shard) == null) {
            problem(path, "in shard " + shard + ", which does not exist (" + source.shardName().apply(Math.max(0, shard))
                    + ")");
            return;
        }
        long shardSize = shards.size(shard);
        if (offset > shardSize - size) {
            problem(path, "runs past the end of shard " + shard + " (bytes " + offset + " to " + (offset + size)
                    + ", shard size " + shardSize + ")");
            return;
        }
        checkedFiles++;
        if (crc == null) {
            unchecked++;
            return;
        }
        if (!checksums) {
            return;
        }
        long actual = shards.crc32c(shard, offset, size);
        checkedBytes += size;
        if (actual != crc) {
            problem(path, String.format("CRC-32C mismatch: the index says %08x, the bytes give %08x", crc, actual));
        }
    }

    /**
     * Each {@code dirs} row against what the files say (a directory's files, the files and bytes in
     * its subtree, its subdirectory rows), and paths that are both a file and a directory.
     */
    private void checkDirectories(Connection c, List<String[]> problems) throws SQLException, IOException {
        try (PreparedStatement row = c.prepareStatement("SELECT num_files, num_files_tree, size_tree FROM dirs"
                + " WHERE path = ?")) {
            long[] missing = {0};
            DirStatsScan.run(c, d -> {
                row.setString(1, d.path());
                try (ResultSet rs = row.executeQuery()) {
                    if (!rs.next()) {
                        missing[0]++;
                        return;
                    }
                    compare(problems, d.path(), "num_files", rs.getLong(1), d.numFiles());
                    compare(problems, d.path(), "num_files_tree", rs.getLong(2), d.numFilesTree());
                    compare(problems, d.path(), "size_tree", rs.getLong(3), d.sizeTree());
                }
            });
            if (missing[0] > 0) {
                listener.note(source.indexName(), missing[0] + " directories have no row of their own"
                        + " (readers infer them from the paths below them)");
            }
        }
        try (PreparedStatement page = c.prepareStatement("SELECT path, num_subdirs, num_files, num_files_tree,"
                + " size_tree FROM dirs WHERE path > ? ORDER BY path LIMIT 1024");
             PreparedStatement root = c.prepareStatement("SELECT path, num_subdirs, num_files, num_files_tree,"
                     + " size_tree FROM dirs WHERE path = ''");
             PreparedStatement subdirs = c.prepareStatement("SELECT count(*) FROM dirs WHERE parent = ?");
             PreparedStatement below = c.prepareStatement("SELECT 1 FROM files WHERE path > ? AND path < ? LIMIT 1");
             PreparedStatement asFile = c.prepareStatement("SELECT 1 FROM files WHERE path = ?")) {
            checkDirRows(root, subdirs, below, asFile, problems);
            String last = "";
            while (true) {
                page.setString(1, last);
                int n = checkDirRows(page, subdirs, below, asFile, problems);
                if (n < 1024) {
                    break;
                }
                last = lastDirPath;
            }
        }
    }

    private String lastDirPath;

    private int checkDirRows(PreparedStatement page, PreparedStatement subdirs, PreparedStatement below,
                             PreparedStatement asFile, List<String[]> problems) throws SQLException {
        record DirRow(String path, long numSubdirs, long numFiles, long numFilesTree, long sizeTree) {
        }
        List<DirRow> rows = new ArrayList<>();
        try (ResultSet rs = page.executeQuery()) {
            while (rs.next()) {
                rows.add(new DirRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        for (DirRow d : rows) {
            lastDirPath = d.path();
            if (!d.path().isEmpty() && !ArchivePaths.isCanonical(d.path())) {
                problems.add(new String[] {d.path(), "not a valid directory path (empty, '.' or '..' component, or"
                        + " leading '/')"});
            }
            subdirs.setString(1, d.path());
            try (ResultSet rs = subdirs.executeQuery()) {
                rs.next();
                compare(problems, d.path(), "num_subdirs", d.numSubdirs(), rs.getLong(1));
            }
            asFile.setString(1, d.path());
            try (ResultSet rs = asFile.executeQuery()) {
                if (rs.next()) {
                    problems.add(new String[] {d.path(), "is both a file and a directory"});
                }
            }
            // the root is always compared by the file scan
            if (!d.path().isEmpty() && (d.numFiles() != 0 || d.numFilesTree() != 0 || d.sizeTree() != 0)) {
                below.setString(1, IndexRows.descendantPrefix(d.path()));
                below.setString(2, IndexRows.descendantUpperBound(d.path()));
                try (ResultSet rs = below.executeQuery()) {
                    if (!rs.next()) { // else the file scan compared it already
                        compare(problems, d.path(), "num_files", d.numFiles(), 0);
                        compare(problems, d.path(), "num_files_tree", d.numFilesTree(), 0);
                        compare(problems, d.path(), "size_tree", d.sizeTree(), 0);
                    }
                }
            }
        }
        return rows.size();
    }

    private static void compare(List<String[]> problems, String dir, String what, long stored, long actual) {
        if (stored != actual) {
            problems.add(new String[] {dir.isEmpty() ? "(root)" : dir, "directory statistics wrong: " + what + " is "
                    + stored + ", should be " + actual});
        }
    }

    /**
     * The shards, opened on first use. The shard being checked is read front to back by a background
     * thread a few chunks ahead, so that reading and checksumming overlap.
     */
    private final class Shards implements AutoCloseable {
        private final List<ShardSource> open = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();
        private final CRC32C crc = new CRC32C();
        private ReadAhead stream;

        /** The shard, or null when it does not exist. */
        ShardSource open(int shard) throws IOException {
            if (shard < 0) {
                return null;
            }
            while (open.size() <= shard) {
                open.add(null);
                sizes.add(-1L);
            }
            ShardSource c = open.get(shard);
            if (c == null) {
                try {
                    c = source.shards().open(shard);
                } catch (NoSuchFileException e) {
                    return null;
                }
                open.set(shard, c);
                sizes.set(shard, c.size());
            }
            return c;
        }

        /** Size of a shard opened with {@link #open}, as it was then. */
        long size(int shard) {
            return sizes.get(shard);
        }

        long crc32c(int shard, long offset, long size) throws IOException {
            crc.reset();
            if (stream == null || stream.shard != shard || !stream.canReach(offset)) {
                if (stream != null) {
                    stream.close();
                }
                stream = new ReadAhead(shard, open.get(shard), offset);
            }
            stream.feed(offset, size, crc);
            return crc.getValue();
        }

        @Override
        public void close() throws IOException {
            if (stream != null) {
                stream.close();
            }
            for (ShardSource c : open) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    /**
     * One shard read front to back from a start position in small chunks that stay in the CPU cache
     * while they are checksummed; the kernel's read-ahead overlaps the disk with the checksumming.
     */
    private final class ReadAhead implements AutoCloseable {
        final int shard;
        private final ShardSource channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_SIZE);
        private long start;
        private long next;

        ReadAhead(int shard, ShardSource channel, long from) {
            this.shard = shard;
            this.channel = channel;
            this.start = from;
            this.next = from;
            buffer.limit(0);
        }

        /** Whether {@code offset} is at or after the start of the bytes in hand. */
        boolean canReach(long offset) {
            return offset >= start;
        }

        void feed(long offset, long size, CRC32C crc) throws IOException {
            long pos = offset;
            long end = offset + size;
            while (pos < end) {
                if (pos >= start + buffer.limit()) {
                    fill(Math.max(pos, next));
                    continue;
                }
                int from = (int) (pos - start);
                int n = (int) Math.min(buffer.limit() - from, end - pos);
                crc.update(buffer.slice(from, n));
                pos += n;
            }
        }

        private void fill(long position) throws IOException {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                throw new IOException(channel.name() + ": shard ended at byte " + position);
            }
            buffer.flip();
            start = position;
            next = position + n;
        }

        @Override
        public void close() {
            // the channel belongs to Shards
        }
    }
}
