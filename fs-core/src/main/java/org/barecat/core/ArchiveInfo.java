package org.barecat.core;

import org.barecat.core.internal.IndexRows;
import org.barecat.core.internal.IndexSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about an archive as a whole, for {@code info}: where its files are, its schema version and
 * settings, and its totals.
 *
 * @param schemaVersion  {@code major.minor} from the config table, or "unknown"
 * @param useTriggers    whether the index's triggers keep directory statistics (config use_triggers)
 * @param shardSizeLimit configured largest shard in bytes ({@link Long#MAX_VALUE}: unlimited)
 * @param shardSizes     size in bytes of each shard file, in order (of an archive on a server: the shards its
 *                       index uses)
 */
public record ArchiveInfo(Path index, boolean legacyIndexName, String schemaVersion, boolean useTriggers,
                          long shardSizeLimit, ArchiveStats stats, List<Long> shardSizes) {

    /** The facts about {@code archive}, read from its config table and its files on disk. */
    public static ArchiveInfo of(Archive archive) throws IOException {
        ArchiveFiles files = archive.files();
        Long major = config(archive, "schema_version_major");
        Long minor = config(archive, "schema_version_minor");
        Long triggers = config(archive, "use_triggers");
        Long limit = config(archive, "shard_size_limit");
        ArchiveStats stats = archive.stats();
        List<Long> sizes = new ArrayList<>();
        if (archive.shards() instanceof ShardReader) {
            // on disk, shards after the last one the index uses count too (left by deletions)
            for (int i = 0; Files.exists(files.shard(i)); i++) {
                sizes.add(Files.size(files.shard(i)));
            }
        } else {
            for (int i = 0; i < archive.shards().count(); i++) {
                sizes.add(archive.shards().size(i));
            }
        }
        // the name: a local index's path, or the URL of a remote one (whose local copy is named otherwise)
        return new ArchiveInfo(files.index(), archive.name().endsWith(ArchiveFiles.LEGACY_INDEX_SUFFIX), major == null ? "unknown" : major + "." + minor,
                triggers != null && triggers == 1, limit == null ? IndexSchema.UNLIMITED_SHARD_SIZE : limit, stats,
                List.copyOf(sizes));
    }

    private static Long config(Archive archive, String key) throws IOException {
        try {
            return archive.index().query(c -> {
                PreparedStatement s = c.prepare("SELECT value_int FROM config WHERE key = ?");
                s.setString(1, key);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        long v = rs.getLong(1);
                        return rs.wasNull() ? null : v;
                    }
                    return null;
                }
            });
        } catch (IOException e) {
            return null; // an index without a config table
        }
    }

    /**
     * Files and bytes in directory {@code dir}'s subtree: from its {@code dirs} row when it has one
     * (instant), else counted from the files below it (one pass over that part of the path index).
     */
    public static DirStats treeStats(Archive archive, DirEntry dir) throws IOException {
        if (dir.stats() != null) {
            return dir.stats();
        }
        String from = IndexRows.descendantPrefix(dir.path());
        String to = IndexRows.descendantUpperBound(dir.path());
        return archive.index().query(c -> {
            PreparedStatement s = c.prepare("SELECT count(*), coalesce(sum(size), 0) FROM files WHERE path > ?"
                    + (to == null ? "" : " AND path < ?"));
            s.setString(1, from);
            if (to != null) {
                s.setString(2, to);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new DirStats(0, 0, rs.getLong(1), rs.getLong(2));
            }
        });
    }
}
