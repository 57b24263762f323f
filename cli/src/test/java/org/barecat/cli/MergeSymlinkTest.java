package org.barecat.cli;

import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barecat merge --symlink}: shards linked, rows renumbered, the original's checks, writers refused. */
class MergeSymlinkTest {
    @TempDir
    Path tmp;

    @Test
    void mergeSymlinkLinksTheInputsShardsAndRenumbersTheRows() throws IOException {
        Files.createDirectories(tmp.resolve("in"));
        Path a = TreeBuilder.archive(tmp.resolve("in/a.barecat"), 100)
                .file("x/1", "one".repeat(50)).file("x/2", "two".repeat(50)).file("y", "why").build();
        Path b = TreeBuilder.archive(tmp.resolve("in/b.barecat")).file("x/3", "three").file("y", "other").build();
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("m.barecat");

        Cli.Run dup = Cli.run("merge", "-o", out.toString(), "--symlink", a.toString(), b.toString());
        assertEquals(1, dup.code());
        assertEquals("barecat: y: in " + b + " and already in the output (use --ignore-duplicates to keep the first)\n",
                dup.err());
        assertFalse(Files.exists(out), "nothing left behind");

        Cli.Run r = Cli.run("merge", "-o", out.toString(), "--symlink", "--ignore-duplicates", a.toString(),
                b.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("Merging files from " + a + "\nMerging files from " + b + "\n"
                + String.join("\n", org.barecat.tools.merge.ArchiveMerge.TREESTATS_LINES) + "\n", r.out());
        List<String> shards;
        try (Stream<Path> s = Files.list(a.getParent())) {
            shards = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("-shard-")).sorted().toList();
        }
        for (int k = 0; k < shards.size(); k++) {
            Path link = out.resolveSibling(String.format("m.barecat-shard-%05d", k));
            assertEquals(Path.of("../in").resolve(shards.get(k)), Files.readSymbolicLink(link));
        }
        assertEquals("why", Cli.run("cat", out.toString(), "y").out(), "the first copy");
        assertEquals("three", Cli.run("cat", out.toString(), "x/3").out());
        assertEquals("two".repeat(50), Cli.run("cat", out.toString(), "x/2").out());
        assertEquals(0, Cli.run("verify", "-q", out.toString()).code());

        for (List<String> c : List.of(
                List.of("merge", "-o", out.toString(), "--symlink", a.toString(), "barecat: " + out
                        + ": already exists; use -f to overwrite it\n"),
                List.of("merge", "-o", out.toString(), "--symlink", "-a", a.toString(),
                        "barecat: merge: --append is not supported with --symlink\n"),
                List.of("merge", "-o", tmp.resolve("n.barecat").toString(), "--symlink", "-x", "y", a.toString(),
                        "barecat: merge: --pattern/--include/--exclude not supported with --symlink\n"),
                List.of("merge", "-o", tmp.resolve("n.barecat").toString(), "--symlink", "t.tar", "barecat: merge:"
                        + " --symlink is not supported with tar/zip inputs (t.tar)\n"),
                List.of("rm", out.toString(), "y", "barecat: " + out + ": its shards are links to files it does not"
                        + " own (convert --wrap, merge --symlink); it cannot be changed in place\n"))) {
            Cli.Run refused = Cli.run(c.subList(0, c.size() - 1).toArray(String[]::new));
            assertEquals(1, refused.code(), String.valueOf(c));
            assertEquals(c.get(c.size() - 1), refused.err());
        }

        r = Cli.run("merge", "-f", "-o", out.toString(), "--symlink", "--prefix", "p", b.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("Merging files from " + b + " -> p/\n", r.out());
        assertEquals("other", Cli.run("cat", out.toString(), "p/y").out());
        assertFalse(Files.exists(out.resolveSibling("m.barecat-shard-00001"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "-f removed the old links");
        assertTrue(Files.exists(a.resolveSibling("a.barecat-shard-00001")), "not what they pointed to");
    }
}
