package org.barecat.tools.write;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.IndexScan;
import org.barecat.core.internal.IndexRows;
import org.barecat.core.internal.SqliteLibrary;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * {@code merge --symlink}: a new archive made of the inputs' indexes alone. Its shards are relative
 * symbolic links to the inputs' shards, in input order, and each file row keeps its offset with its
 * shard number moved past the shards of the inputs before it (counted as shard files, so an input
 * whose last shards hold no file still lines up). Directories that several inputs have get their
 * metadata merged as the original does. The index is built under a temporary name and renamed into
 * place after the links. Such an archive cannot be changed in place: its shards are not its own.
 */
public final class ShardLinkMerge {
    /** One input archive and the directory its entries go under ({@code ""}: the root). */
    public record Input(Path archive, String prefix) {
    }

    private ShardLinkMerge() {
    }

    /**
     * Writes the archive {@code output} over {@code inputs}; {@code starting} hears of each input as
     * its rows are read.
     *
     * @param ignoreDuplicates keep the first row of a file path that several inputs have (else: an error)
     * @throws FileAlreadyExistsException when {@code output} exists and {@code overwrite} is not asked
     *                                    for, or a file path comes twice without {@code ignoreDuplicates}
     */
    public static void merge(List<Input> inputs, Path output, boolean overwrite, boolean ignoreDuplicates,
                             Consumer<Input> starting) throws IOException {
        ArchiveFiles files = ArchiveWriter.clearForNew(output, overwrite);
        Path temporary = files.index().resolveSibling(files.index().getFileName() + ".incomplete");
        Files.deleteIfExists(temporary);
        List<Path> targets = new ArrayList<>();
        try (Connection c = SqliteLibrary.connect("jdbc:sqlite:" + temporary, new Properties())) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = OFF");
                s.execute("PRAGMA synchronous = OFF");
                Schema.create(s, Schema.UNLIMITED_SHARD_SIZE);
            }
            c.setAutoCommit(false);
            try (PreparedStatement file = c.prepareStatement("INSERT" + (ignoreDuplicates ? " OR IGNORE" : "")
                    + " INTO files (path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement dir = c.prepareStatement("INSERT INTO dirs (path, mode, uid, gid, mtime_ns)"
                         + " VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET"
                         + " mode = CASE WHEN excluded.mode IS NULL THEN mode WHEN mode IS NULL THEN excluded.mode"
                         + " ELSE mode | excluded.mode END, uid = coalesce(excluded.uid, uid),"
                         + " gid = coalesce(excluded.gid, gid), mtime_ns = CASE WHEN mtime_ns IS NULL"
                         + " OR excluded.mtime_ns > mtime_ns THEN excluded.mtime_ns ELSE mtime_ns END")) {
                for (Input input : inputs) {
                    starting.accept(input);
                    try (Archive archive = Archive.open(input.archive())) {
                        int first = targets.size();
                        for (long k = 0; Files.exists(archive.files().shard(k), LinkOption.NOFOLLOW_LINKS); k++) {
                            targets.add(archive.files().shard(k));
                        }
                        copyRows(archive, input, first, file, dir);
                    }
                }
            }
            DirStatsScan.rebuild(c);
            Schema.useTriggers(c, true);
            c.commit();
        } catch (SQLException e) {
            Files.deleteIfExists(temporary);
            throw new IOException(output + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Path outDir = files.index().getParent();
        try {
            for (int k = 0; k < targets.size(); k++) {
                Files.createSymbolicLink(files.shard(k), outDir.relativize(targets.get(k)));
            }
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, files.index(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copyRows(Archive archive, Input input, int firstShard, PreparedStatement file,
                                 PreparedStatement dir) throws IOException, SQLException {
        Entry root = archive.lookup("").orElse(null);
        putDir(dir, input.prefix(), root instanceof DirEntry d ? d.attributes() : Attributes.NONE);
        IndexScan scan = IndexScan.below(archive, "");
        for (Entry e = scan.next(); e != null; e = scan.next()) {
            String path = input.prefix().isEmpty() ? e.path() : ArchivePaths.child(input.prefix(), e.path());
            if (e instanceof DirEntry d) {
                putDir(dir, path, d.attributes());
            } else if (e instanceof FileEntry f) {
                file.setString(1, path);
                file.setLong(2, (long) firstShard + f.location().shard());
                file.setLong(3, f.location().offset());
                file.setLong(4, f.size());
                file.setObject(5, f.crc32c());
                IndexRows.bindAttributes(file, 6, f.attributes());
                try {
                    file.executeUpdate();
                } catch (SQLException ex) {
                    if (String.valueOf(ex.getMessage()).contains("UNIQUE")) {
                        throw new FileAlreadyExistsException(path, null, "in " + input.archive()
                                + " and already in the output (use --ignore-duplicates to keep the first)");
                    }
                    throw ex;
                }
            }
        }
    }

    private static void putDir(PreparedStatement dir, String path, Attributes attributes) throws SQLException {
        dir.setString(1, path);
        IndexRows.bindAttributes(dir, 2, attributes);
        dir.executeUpdate();
    }
}
