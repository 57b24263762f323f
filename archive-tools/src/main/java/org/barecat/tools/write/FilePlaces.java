package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Where every file's bytes lie, as the in-place writers that move bytes (defrag, reshard) read it. */
final class FilePlaces {
    private FilePlaces() {
    }

    /** A file's row: where its bytes are. */
    static final class Row {
        final String path;
        int shard;
        long offset;
        final long size;

        Row(String path, int shard, long offset, long size) {
            this.path = path;
            this.shard = shard;
            this.offset = offset;
            this.size = size;
        }

        long end() {
            return offset + size;
        }
    }

    /** Every file's row in address order (shard, then offset). */
    static List<Row> read(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path, shard, offset, size FROM files ORDER BY shard, offset")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return rows;
    }

    /**
     * Every file's row in address order.
     *
     * @throws IOException when two files share bytes or a row's place is not in a shard: moving one
     *                     would damage the other
     */
    static List<Row> readChecked(Connection c, Path index) throws SQLException, IOException {
        List<Row> rows = read(c);
        Row previous = null;
        for (Row r : rows) {
            if (r.shard < 0 || r.offset < 0 || r.size < 0) {
                throw new IOException(index + ": " + r.path + " has no place in a shard (shard " + r.shard
                        + ", offset " + r.offset + ", size " + r.size + "); see barecat verify");
            }
            if (previous != null && previous.shard == r.shard && r.offset < previous.end() && r.size > 0) {
                throw new IOException(index + ": " + previous.path + " and " + r.path
                        + " share bytes; moving one would damage the other");
            }
            if (previous == null || previous.shard != r.shard || r.end() > previous.end()) {
                previous = r;
            }
        }
        return rows;
    }

    /** The number of shard files, 0, 1, ... up to the first missing one. */
    static int shardCount(ArchiveFiles files) {
        int n = 0;
        while (Files.exists(files.shard(n), LinkOption.NOFOLLOW_LINKS)) {
            n++;
        }
        return n;
    }

    /**
     * Cuts every shard after its last file and deletes the shards after the last one that has files
     * (never shard 0), from the last down so that the shards left are always numbered without a gap.
     * Only bytes no row points at go. {@code open} holds channels of the caller's, closed before their
     * shard is deleted.
     */
    static void cutShards(ArchiveFiles files, List<Row> rows, Map<Integer, FileChannel> open) throws IOException {
        Map<Integer, Long> ends = new HashMap<>();
        int last = 0;
        for (Row r : rows) {
            ends.merge(r.shard, r.end(), Math::max);
            last = Math.max(last, r.shard);
        }
        for (int s = shardCount(files) - 1; s >= 0; s--) {
            if (s > last) {
                FileChannel c = open.remove(s);
                if (c != null) {
                    c.close();
                }
                Files.delete(files.shard(s));
            } else {
                long end = ends.getOrDefault(s, 0L);
                try (FileChannel c = FileChannel.open(files.shard(s), StandardOpenOption.WRITE)) {
                    if (c.size() > end) {
                        c.truncate(end);
                        c.force(true);
                    }
                }
            }
        }
        syncDirectory(files.shard(0).getParent());
    }

    /** Puts the directory's entries (names made, renamed, deleted) on disk. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir == null ? Path.of(".") : dir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }
}
