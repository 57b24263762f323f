package org.barecat.it;

import org.barecat.testing.IndependentWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives written by a small Python program that follows FORMAT.md with the standard library
 * only (not by our writer): legacy index name, 0.2 schema, no triggers, missing dirs rows, junk
 * between files, several shards. The mount must show the same files as the source.
 */
class IndependentWriterTest {
    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void buildSource() throws IOException {
        source = Trees.buildAwkwardTree(tmp.resolve("source"));
    }

    private static Path write(String name, String... options) {
        Path archive = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("write", source.toString(), archive.toString()));
        args.addAll(List.of(options));
        IndependentWriter.run(args.toArray(String[]::new));
        return archive;
    }

    /** Only the file lines and checksums of a snapshot, and the directory names. */
    private static String filesAndDirNames(String snapshot) {
        return Arrays.stream(snapshot.split("\n"))
                .map(l -> l.startsWith("dir ") ? "dir " + l.substring(l.indexOf(" ./") + 1) : l)
                .sorted()
                .collect(Collectors.joining("\n"));
    }

    @Test
    void mountsLegacyNamedSchema02ArchiveWithGapsAndSeveralShards() throws IOException {
        Path archive = write("legacy.barecat", "--legacy-name", "--schema", "0.2", "--gaps", "--shard-limit", "100000");
        assertTrue(Files.exists(tmp.resolve("legacy.barecat-sqlite-index")) && !Files.exists(archive));
        assertTrue(Files.exists(tmp.resolve("legacy.barecat-shard-00002")));
        try (Mount mount = Mount.of(archive)) {
            assertEquals(Trees.snapshot(source), Trees.snapshot(mount.point));
        }
    }

    @Test
    void showsEveryDirectoryOfAnArchiveWithMissingDirsRows() throws IOException {
        Path archive = write("nodirs.barecat", "--drop-dirs", "--gaps");
        try (Mount mount = Mount.of(archive)) {
            assertEquals(filesAndDirNames(Trees.snapshot(source)), filesAndDirNames(Trees.snapshot(mount.point)));
            // "nested/a/b" has no dirs row in this archive: it shows with the documented defaults
            String implicit = Programs.run("stat", "-c", "%a %Y", mount.path("nested/a/b").toString()).ok().out();
            long indexMtime = Files.getLastModifiedTime(archive).toInstant().getEpochSecond();
            assertEquals("755 " + indexMtime + "\n", implicit);
        }
    }
}
