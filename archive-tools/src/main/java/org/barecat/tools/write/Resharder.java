package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.tools.write.FilePlaces.Row;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays an archive's files out again in shards of at most a given size (address order, no gaps), in
 * place and safe to kill at any moment. The new shards are written under numbers after every
 * existing shard (from {@code base}); one transaction points the rows at them; each then also gets
 * its final name (a hard link renamed over the old shard of that number, which no row uses any
 * more); a second transaction points the rows at the final names; then the shards no row uses are
 * deleted, from the last down. {@code base} stays in the index's {@code config} from before the first
 * byte is written until the last name is deleted, so whichever program next opens the archive for
 * writing finishes (or, before the first transaction, undoes) a reshard that was killed: see
 * {@link #finishInterrupted}. A reader sees every committed state with every row pointing at its
 * file's bytes. A new shard whose files all lie already where they belong (shard 0 when it is cut
 * at the new size, say) is not copied, only cut after its last file. Not thread-safe.
 */
public final class Resharder implements AutoCloseable {
    /** The {@code config} key that holds {@code base} while a reshard is under way. */
    static final String PENDING = "reshard_base";

    /**
     * Run after each step that leaves the archive in a state of its own (a commit, a shard's bytes
     * written, a name given or deleted): a test stops the run there, as a kill would.
     */
    static Runnable afterStep = () -> {
    };

    private final ArchiveFiles files;
    private final WritableIndex index;
    private final Connection db;

    private Resharder(ArchiveFiles files, WritableIndex index) {
        this.files = files;
        this.index = index;
        this.db = index.connection();
    }

    /** Opens the archive the user named for resharding; refused while it is mounted or open. */
    public static Resharder open(Path archive) throws IOException {
        return WritableIndex.open(archive, Resharder::new);
    }

    /**
     * Puts the files, in address order, into shards of at most {@code limit} bytes (a new shard starts
     * where the next file would not fit) and makes {@code limit} the archive's shard size limit.
     *
     * @throws IOException naming the file when one is larger than {@code limit} (nothing is changed)
     */
    public void reshard(long limit) throws IOException {
        try {
            List<Row> rows = FilePlaces.readChecked(db, files.index());
            int present = FilePlaces.shardCount(files);
            for (Row r : rows) {
                if (r.size > limit) {
                    throw new IOException(files.index() + ": " + r.path + " (" + r.size + " bytes) is larger than"
                            + " the shard size limit of " + limit + " bytes; nothing changed");
                }
                if (r.shard >= present) {
                    throw new IOException(files.shard(r.shard) + ": missing shard (the index has files in it)");
                }
            }
            // the new layout: each row's new shard and offset
            int[] newShard = new int[rows.size()];
            long[] newOffset = new long[rows.size()];
            int shard = 0;
            long offset = 0;
            for (int i = 0; i < rows.size(); i++) {
                long size = rows.get(i).size;
                if (offset + size > limit) {
                    shard++;
                    offset = 0;
                }
                newShard[i] = shard;
                newOffset[i] = offset;
                offset += size;
            }
            int count = shard + 1;
            boolean[] copied = new boolean[count];
            boolean anyCopied = false;
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).shard != newShard[i] || rows.get(i).offset != newOffset[i]) {
                    copied[newShard[i]] = true;
                    anyCopied = true;
                }
            }
            setConfig("shard_size_limit", limit);
            if (!anyCopied) { // every file where it belongs: only bytes no row uses go
                db.commit();
                FilePlaces.cutShards(files, rows, new HashMap<>());
                return;
            }
            int base = Math.max(present, count);
            setConfig(PENDING, base);
            db.commit(); // from here, the next writer deletes what a killed run leaves
            afterStep.run();
            try {
                copy(rows, newShard, newOffset, copied, present, base);
            } catch (IOException e) { // a full disk, say: the rows did not move, the new shards go
                try {
                    finish(files, db, base);
                } catch (IOException | SQLException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            try (PreparedStatement s = db.prepareStatement("UPDATE files SET shard = ?, offset = ? WHERE path = ?")) {
                for (int i = 0; i < rows.size(); i++) {
                    if (copied[newShard[i]]) {
                        s.setInt(1, base + newShard[i]);
                        s.setLong(2, newOffset[i]);
                        s.setString(3, rows.get(i).path);
                        s.addBatch();
                    }
                }
                s.executeBatch();
            }
            db.commit();
            afterStep.run();
            finish(files, db, base);
        } catch (SQLException e) {
            throw new IOException(files.index() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the new shards that are copied, as shards {@code base + j}, after empty shards from
     * {@code present} up to there (and in the place of each new shard not copied), so that the shards
     * stay numbered without a gap; then puts them and their names on disk.
     */
    private void copy(List<Row> rows, int[] newShard, long[] newOffset, boolean[] copied, int present, int base)
            throws IOException {
        int last = 0;
        for (int j = 0; j < copied.length; j++) {
            if (copied[j]) {
                last = j;
            }
        }
        Map<Integer, FileChannel> channels = new HashMap<>();
        try {
            for (int s = present; s <= base + last; s++) {
                channels.put(s, FileChannel.open(files.shard(s), StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
            }
            for (int i = 0; i < rows.size(); ) {
                if (!copied[newShard[i]]) {
                    i++;
                    continue;
                }
                // a run of files that lie one after the other in both places goes in one copy
                Row first = rows.get(i);
                int j = i + 1;
                while (j < rows.size() && newShard[j] == newShard[i] && rows.get(j).shard == first.shard
                        && rows.get(j).offset - first.offset == newOffset[j] - newOffset[i]) {
                    j++;
                }
                long length = rows.get(j - 1).end() - first.offset;
                FileChannel from = channels.get(first.shard);
                if (from == null) {
                    from = FileChannel.open(files.shard(first.shard), StandardOpenOption.READ);
                    channels.put(first.shard, from);
                }
                FileChannel to = channels.get(base + newShard[i]);
                to.position(newOffset[i]);
                for (long done = 0; done < length; ) {
                    long n = from.transferTo(first.offset + done, length - done, to);
                    if (n <= 0) {
                        throw new IOException(files.shard(first.shard) + ": ends before " + rows.get(j - 1).path
                                + "'s last byte");
                    }
                    done += n;
                }
                i = j;
                afterStep.run();
            }
            for (int s = present; s <= base + last; s++) {
                channels.get(s).force(true);
            }
        } finally {
            for (FileChannel c : channels.values()) {
                c.close();
            }
        }
        FilePlaces.syncDirectory(files.shard(0).getParent());
    }

    /**
     * Finishes a reshard that was killed, found by its {@code config} row: undone when the rows did
     * not move yet (the new shards are deleted), finished otherwise. Run by every in-place writer
     * when it opens the archive.
     */
    static void finishInterrupted(ArchiveFiles files, Connection db) throws SQLException, IOException {
        Long base = null;
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT value_int FROM config WHERE key = '" + PENDING + "'")) {
            if (rs.next()) {
                base = rs.getLong(1);
            }
        } catch (SQLException e) {
            return; // no config table: an index of the first layout, never resharded
        }
        if (base != null) {
            finish(files, db, base);
        }
    }

    /** From the first transaction on: final names, the rows pointed at them, the unused shards deleted. */
    private static void finish(ArchiveFiles files, Connection db, long base) throws SQLException, IOException {
        List<Integer> moved = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT DISTINCT shard FROM files WHERE shard >= ?")) {
            s.setLong(1, base);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    moved.add(rs.getInt(1));
                }
            }
        }
        if (!moved.isEmpty()) {
            for (int s : moved) {
                Path name = files.shard(s - base);
                if (!Files.exists(name) || !Files.isSameFile(files.shard(s), name)) {
                    linkOver(files.shard(s), name);
                    afterStep.run();
                }
            }
            FilePlaces.syncDirectory(files.shard(0).getParent());
            try (PreparedStatement s = db.prepareStatement("UPDATE files SET shard = shard - ? WHERE shard >= ?")) {
                s.setLong(1, base);
                s.setLong(2, base);
                s.executeUpdate();
            }
            db.commit();
            afterStep.run();
        }
        FilePlaces.cutShards(files, FilePlaces.read(db), new HashMap<>());
        afterStep.run();
        try (PreparedStatement s = db.prepareStatement("DELETE FROM config WHERE key = ?")) {
            s.setString(1, PENDING);
            s.executeUpdate();
        }
        db.commit();
    }

    /**
     * Gives {@code target} the bytes of {@code shard} in one step: a hard link under a name no reader
     * looks at, renamed over it (a copy where the file system has no hard links).
     */
    private static void linkOver(Path shard, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".reshard");
        Files.deleteIfExists(temporary);
        try {
            Files.createLink(temporary, shard);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(shard, temporary);
            try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                c.force(true);
            }
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private void setConfig(String key, long value) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "INSERT OR REPLACE INTO config (key, value_int) VALUES (?, ?)")) {
            s.setString(1, key);
            s.setLong(2, value);
            s.executeUpdate();
        }
    }

    /** Rolls back what was not committed and gives up the lock. */
    @Override
    public void close() {
        index.close();
    }
}
