package org.barecat.core;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The files an archive consists of on disk: the SQLite index and the shards
 * {@code BASE-shard-00000}, {@code BASE-shard-00001}, ...
 *
 * @param index the SQLite index file
 * @param base  the archive's name without suffix; shard names are derived from it
 */
public record ArchiveFiles(Path index, Path base) {
    /** What the legacy index naming appends to the archive's name: {@code data.barecat-sqlite-index}. */
    public static final String LEGACY_INDEX_SUFFIX = "-sqlite-index";

    /**
     * Finds the archive the user named: {@code X} itself when it exists, else the legacy
     * {@code X-sqlite-index}. Naming {@code X-sqlite-index} directly also works.
     *
     * @throws NoSuchFileException when neither exists
     * @throws FileSystemException when {@code X} is a directory (and there is no legacy index)
     */
    public static ArchiveFiles locate(Path named) throws FileSystemException {
        Path abs = named.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (Files.isRegularFile(abs)) {
            if (name.endsWith(LEGACY_INDEX_SUFFIX)) {
                String baseName = name.substring(0, name.length() - LEGACY_INDEX_SUFFIX.length());
                return new ArchiveFiles(abs, abs.resolveSibling(baseName));
            }
            return new ArchiveFiles(abs, abs);
        }
        Path legacy = abs.resolveSibling(name + LEGACY_INDEX_SUFFIX);
        if (Files.isRegularFile(legacy)) {
            return new ArchiveFiles(legacy, abs);
        }
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(named.toString(), null, "is a directory, not an archive");
        }
        throw new NoSuchFileException(named.toString(), null, "no such archive (neither the file nor "
                + name + LEGACY_INDEX_SUFFIX + " exists)");
    }

    /** The layout a new archive gets: index at {@code archive}, shards beside it. */
    public static ArchiveFiles forNewArchive(Path archive) {
        Path abs = archive.toAbsolutePath().normalize();
        return new ArchiveFiles(abs, abs);
    }

    /** Shard file number {@code number}: {@code BASE-shard-00000} and so on. */
    public Path shard(long number) {
        return base.resolveSibling(shardName(base.getFileName().toString(), number));
    }

    /** The name of shard {@code number} of the archive named {@code base} (a file name, or a URL). */
    public static String shardName(String base, long number) {
        return base + String.format("-shard-%05d", number);
    }
}
