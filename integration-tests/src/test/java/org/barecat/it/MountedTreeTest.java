package org.barecat.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tree packed by {@code barecat create} reads back through the mount exactly as the source. */
class MountedTreeTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "shard size limit {0}")
    @ValueSource(strings = {"unlimited", "64K"})
    void mountShowsTheSourceTreeExactly(String shardLimit) throws IOException {
        Path source = Trees.buildAwkwardTree(tmp.resolve("source"));
        Path archive = tmp.resolve("tree.barecat");
        if (shardLimit.equals("unlimited")) {
            Launchers.create(source, archive);
        } else {
            Launchers.create(source, archive, "-s", shardLimit);
            assertTrue(Files.exists(tmp.resolve("tree.barecat-shard-00004")), "the tree spans many shards");
        }
        String expected = Trees.snapshot(source);
        assertTrue(expected.contains(Trees.LONG_NAME) && expected.contains("emoji🐱.dat"), expected);

        try (Mount mount = Mount.of(archive)) {
            assertEquals(expected, Trees.snapshot(mount.point), "find/stat/sha256sum through the mount");

            Path copy = tmp.resolve("copy");
            Programs.run("cp", "-r", mount.point + "/.", copy.toString()).ok();
            Programs.run("diff", "-r", source.toString(), copy.toString()).ok();

            String statLine = Programs.run("stat", "-c", "%s %a %Y %h %F", mount.path("big.bin").toString()).ok().out();
            assertEquals((3 * 1024 * 1024 + 17) + " 755 " + Files.getLastModifiedTime(source.resolve("big.bin"))
                    .toInstant().getEpochSecond() + " 1 regular file\n", statLine);
            assertEquals(Programs.run("cat", source.resolve("big.bin").toString()).ok().out(),
                    Programs.run("cat", mount.path("big.bin").toString()).ok().out());
        }
    }
}
