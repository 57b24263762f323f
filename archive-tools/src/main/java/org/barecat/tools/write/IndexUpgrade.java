package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.internal.SqliteLibrary;

import org.barecat.tools.merge.ArchiveMerge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Brings an index of the older 0.1 or 0.2 layout (tables keyed by path without rowids) to 0.3, as
 * the original's {@code upgrade} does: a new index is written beside the old one with every row, the
 * statistics recomputed and the triggers, then renamed over it in one step, so a crash leaves the old
 * index or the new one. The old one is kept as {@code INDEX.old} unless asked otherwise. The shards
 * do not change.
 */
public final class IndexUpgrade {
    private IndexUpgrade() {
    }

    /**
     * Upgrades the archive's index, telling {@code say} what it does in the original's words.
     *
     * @return false when there was nothing to do (already 0.3)
     */
    public static boolean upgrade(Path archive, boolean keepBackup, Consumer<String> say) throws IOException {
        ArchiveFiles files = ArchiveFiles.locate(archive);
        Path index = files.index();
        WritableIndex old = WritableIndex.open(files); // refused while mounted; holds the lock to the end
        try {
            long major = Objects.requireNonNullElse(old.configInt("schema_version_major"), -1L);
            long minor = Objects.requireNonNullElse(old.configInt("schema_version_minor"), -1L);
            if (major == Schema.VERSION_MAJOR && minor >= Schema.VERSION_MINOR) {
                say.accept("Database is already at version " + major + "." + minor + ", nothing to do.");
                return false;
            }
            if (major < 0) {
                throw new IOException(index + ": an index from before schema versions (0.1): cannot upgrade it");
            }
            if (major != 0) {
                throw new IOException(index + ": cannot upgrade schema version " + major + "." + minor);
            }
            say.accept("Upgrading from " + major + "." + minor + " to " + Schema.VERSION_MAJOR + "."
                    + Schema.VERSION_MINOR + "...");
            Path temporary = index.resolveSibling(index.getFileName() + "-temp-upgrade");
            Files.deleteIfExists(temporary);
            say.accept("Creating new database with updated schema...");
            try (Connection c = SqliteLibrary.connect("jdbc:sqlite:" + temporary, new Properties())) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    Schema.create(s, Schema.UNLIMITED_SHARD_SIZE);
                    s.execute("ATTACH DATABASE '" + index.toAbsolutePath().toString().replace("'", "''") + "' AS old");
                    s.execute("INSERT OR REPLACE INTO config (key, value_text, value_int) SELECT key, value_text,"
                            + " value_int FROM old.config WHERE key NOT LIKE 'schema_version_%'");
                    Schema.useTriggers(c, false);
                    say.accept("Migrating dir metadata...");
                    s.execute("INSERT INTO dirs (path, mode, uid, gid, mtime_ns) SELECT path, mode, uid, gid, mtime_ns"
                            + " FROM old.dirs ORDER BY path");
                    say.accept("Migrating file metadata...");
                    s.execute("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns)"
                            + " SELECT path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns FROM old.files"
                            + " ORDER BY path");
                    DirStatsScan.rebuild(c);
                    Schema.useTriggers(c, true);
                }
                c.commit();
                try (Statement s = c.createStatement()) {
                    s.execute("DETACH DATABASE old");
                    s.execute("ANALYZE");
                }
            } catch (SQLException e) {
                Files.deleteIfExists(temporary);
                throw new IOException(index + ": cannot upgrade: " + e.getMessage(), e);
            }
            say.accept("Replacing old database...");
            Path backup = index.resolveSibling(index.getFileName() + ".old");
            Files.copy(index, backup, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // the statistics were rebuilt before the new index took the old one's name, so that a kill
            // never leaves it without them; the lines come where the original, which rebuilds after, prints them
            say.accept("Rebuilding directory tree statistics...");
            ArchiveMerge.TREESTATS_LINES.forEach(say);
            if (!keepBackup) {
                say.accept("Removing backup: " + backup);
                Files.delete(backup);
            }
            say.accept("Upgrade complete.");
            return true;
        } finally {
            old.close();
        }
    }

}
