package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.internal.IndexSchema;
import org.barecat.tools.write.FilePlaces.Row;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reclaims the gaps in an archive's shards (bytes of removed or replaced files, what a stopped writer
 * left) in place, safe to kill at any moment. A file's bytes are only ever written where no file of
 * the committed index lies, and its row points at them only once they are on disk; a file whose new
 * place overlaps its old one goes by way of the shard's end. The index's exclusive lock is held
 * throughout (see {@link WritableIndex}). Not thread-safe.
 */
public final class Defragmenter implements AutoCloseable {
    /** Bytes copied between two commits, at most: bounds what a crash makes the next run redo. */
    private static final long BATCH_BYTES = 64L << 20;
    private static final int COPY_BUFFER = 1 << 20;

    /** Bytes no file owns, before a shard's first file or between two files. */
    public record Gap(int shard, long offset, long length) {
    }

    /** What {@code defrag -n} reports: the shards' total size, the files' total size, the gaps. */
    public record Stats(long physical, long logical, List<Gap> gaps) {
        public long freeable() {
            return gaps.stream().mapToLong(Gap::length).sum();
        }
    }

    private final ArchiveFiles files;
    private final WritableIndex index;
    private final Connection db;
    private final long limit;
    private final Map<Integer, FileChannel> shards = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER);
    /** Moves copied but not committed: their rows' new places. */
    private final List<Row> pending = new ArrayList<>();
    /** Where the pending moves' files still are in the committed index: nothing may be written there. */
    private final List<Row> pendingOld = new ArrayList<>();
    private long pendingBytes;

    private Defragmenter(ArchiveFiles files, WritableIndex index) throws SQLException {
        this.files = files;
        this.index = index;
        this.db = index.connection();
        Long configured = index.configInt("shard_size_limit");
        this.limit = configured != null && configured > 0 ? configured : Schema.UNLIMITED_SHARD_SIZE;
    }

    /** Opens the archive the user named for defragmenting; refused while it is mounted or open. */
    public static Defragmenter open(Path archive) throws IOException {
        return WritableIndex.open(archive, Defragmenter::new);
    }

    /** The archive's sizes and gaps, read without changing anything (and while it is mounted). */
    public static Stats stats(Path archive) throws IOException {
        ArchiveFiles files = ArchiveFiles.locate(archive);
        try (Connection c = IndexSchema.openChecked(files.index())) {
            List<Row> rows = FilePlaces.read(c);
            long logical = rows.stream().mapToLong(r -> r.size).sum();
            return new Stats(physicalSize(files), logical, gapsOf(rows));
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Packs every file in address order from the start of shard 0, opening the next shard where the
     * archive's shard size limit says, then cuts the shards after their last file and deletes those
     * left empty.
     *
     * @return the bytes freed
     */
    public long compact() throws IOException {
        try {
            long before = physicalSize();
            List<Row> rows = FilePlaces.readChecked(db, files.index());
            List<Row> group = new ArrayList<>();
            List<Long> targets = new ArrayList<>();
            int shard = 0;
            long offset = 0;
            int groupShard = -1;
            for (Row r : rows) {
                // a file never goes to a later shard than its own, where files not yet moved lie
                if (offset > 0 && offset + r.size > limit && shard < r.shard) {
                    shard++;
                    offset = 0;
                }
                boolean inPlace = r.shard == shard && r.offset == offset;
                if (!group.isEmpty() && (inPlace || shard != groupShard || r.shard != group.get(0).shard
                        || offset - targets.get(0) >= BATCH_BYTES)) {
                    moveGroup(group, groupShard, targets);
                }
                if (!inPlace) {
                    group.add(r);
                    targets.add(offset);
                    groupShard = shard;
                }
                offset += r.size;
            }
            if (!group.isEmpty()) {
                moveGroup(group, groupShard, targets);
            }
            commit();
            FilePlaces.cutShards(files, rows, shards);
            return before - physicalSize();
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves consecutive files of one shard to consecutive places in shard {@code shard}, then empties
     * both lists. When the places overlap where the files are, the files go to the end of their shard
     * first, in a commit of their own, so that no file is ever overwritten while its row points at it.
     */
    private void moveGroup(List<Row> group, int shard, List<Long> targets) throws IOException, SQLException {
        long start = targets.get(0);
        long end = targets.get(targets.size() - 1) + group.get(group.size() - 1).size;
        Row first = group.get(0);
        Row last = group.get(group.size() - 1);
        if (overlaps(pendingOld, shard, start, end - start)) {
            commit();
        }
        if (first.shard == shard && start < last.end() && first.offset < end) {
            commit();
            long tail = channel(shard).size();
            for (Row r : group) {
                copy(r, shard, tail);
                tail += r.size;
            }
            commit();
        }
        for (int i = 0; i < group.size(); i++) {
            copy(group.get(i), shard, targets.get(i));
            if (pendingBytes >= BATCH_BYTES) {
                commit();
            }
        }
        group.clear();
        targets.clear();
    }

    /**
     * Moves files from the end of the archive into the first earlier gap that holds them, until none
     * fits or {@code timeLimit} is up, then cuts the shards after their last file.
     *
     * @return the bytes freed
     */
    public long quick(Duration timeLimit) throws IOException {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        try {
            long before = physicalSize();
            List<Row> rows = FilePlaces.readChecked(db, files.index());
            List<Gap> gaps = gapsOf(rows);
            for (int i = rows.size() - 1; i >= 0 && !gaps.isEmpty() && System.nanoTime() < deadline; i--) {
                Row r = rows.get(i);
                for (int g = 0; g < gaps.size(); g++) {
                    Gap gap = gaps.get(g);
                    if (gap.shard() > r.shard || gap.shard() == r.shard && gap.offset() >= r.offset) {
                        break; // only earlier gaps: the file moves towards the start
                    }
                    if (gap.length() >= r.size) {
                        // into a gap of the committed index: nothing there to overwrite
                        copy(r, gap.shard(), gap.offset());
                        if (pendingBytes >= BATCH_BYTES) {
                            commit();
                        }
                        if (gap.length() == r.size) {
                            gaps.remove(g);
                        } else {
                            gaps.set(g, new Gap(gap.shard(), gap.offset() + r.size, gap.length() - r.size));
                        }
                        break;
                    }
                }
            }
            commit();
            FilePlaces.cutShards(files, rows, shards);
            return before - physicalSize();
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
    }

    /** Rolls back what was not committed and gives up the lock. */
    @Override
    public void close() {
        for (FileChannel c : shards.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // written data was forced before each commit
            }
        }
        index.close();
    }

    /** Copies the bytes and notes the move; the row changes at the next {@link #commit()}. */
    private void copy(Row r, int shard, long offset) throws IOException {
        FileChannel from = channel(r.shard);
        FileChannel to = channel(shard);
        for (long done = 0; done < r.size; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), r.size - done));
            while (buffer.hasRemaining()) {
                if (from.read(buffer, r.offset + done + buffer.position()) < 0) {
                    throw new IOException(files.shard(r.shard) + ": ends before " + r.path + "'s last byte");
                }
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                done += to.write(buffer, offset + done);
            }
        }
        pendingOld.add(new Row(r.path, r.shard, r.offset, r.size));
        r.shard = shard;
        r.offset = offset;
        pending.add(r);
        pendingBytes += r.size;
    }

    /** Puts the copied bytes on disk, then points the rows at them, in one transaction. */
    private void commit() throws IOException, SQLException {
        if (pending.isEmpty()) {
            return;
        }
        for (FileChannel c : shards.values()) {
            c.force(false);
        }
        try (PreparedStatement s = db.prepareStatement("UPDATE files SET shard = ?, offset = ? WHERE path = ?")) {
            for (Row r : pending) {
                s.setInt(1, r.shard);
                s.setLong(2, r.offset);
                s.setString(3, r.path);
                s.addBatch();
            }
            s.executeBatch();
        }
        db.commit();
        pending.clear();
        pendingOld.clear();
        pendingBytes = 0;
    }

    private static boolean overlaps(List<Row> regions, int shard, long offset, long size) {
        for (Row r : regions) {
            if (r.shard == shard && offset < r.end() && r.offset < offset + size) {
                return true;
            }
        }
        return false;
    }

    /** The gaps before and between files (not after a shard's last), in address order. */
    private static List<Gap> gapsOf(List<Row> rows) {
        List<Gap> gaps = new ArrayList<>();
        Row previous = null; // of the files before, the one that ends last
        for (Row r : rows) {
            long start = previous == null || previous.shard != r.shard ? 0 : previous.end();
            if (r.offset > start) {
                gaps.add(new Gap(r.shard, start, r.offset - start));
            }
            if (previous == null || previous.shard != r.shard || r.end() > previous.end()) {
                previous = r;
            }
        }
        return gaps;
    }

    private FileChannel channel(int shard) throws IOException {
        FileChannel c = shards.get(shard);
        if (c == null) {
            c = FileChannel.open(files.shard(shard), StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE);
            shards.put(shard, c);
        }
        return c;
    }

    private long physicalSize() throws IOException {
        return physicalSize(files);
    }

    private static long physicalSize(ArchiveFiles files) throws IOException {
        long total = 0;
        for (int s = 0; Files.exists(files.shard(s)); s++) {
            total += Files.size(files.shard(s));
        }
        return total;
    }
}
