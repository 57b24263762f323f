package org.barecat.cli;

import org.barecat.testing.IndependentWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyAndExtractCommandTest {
    @TempDir
    Path tmp;

    @Test
    void verifyAcceptsAGoodArchiveAndNamesEveryCorruptFile() throws Exception {
        Path archive = TestTrees.sampleArchive(tmp);
        Cli.Run ok = Cli.run("verify", "-q", archive.toString());
        assertEquals(0, ok.code());
        assertEquals(archive + ": OK: 5 files, 100018 bytes checksummed\n", ok.out());
        try (RandomAccessFile shard = new RandomAccessFile(tmp.resolve("s.barecat-shard-00000").toFile(), "rw")) {
            shard.seek(10); // inside a/big.bin, which comes after a/b/hello.txt
            shard.write('!');
        }
        Cli.Run bad = Cli.run("verify", "-q", archive.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.out().startsWith("a/big.bin: CRC-32C mismatch"), bad.out());
        assertTrue(bad.out().endsWith(": 1 problem found; 5 files, 100018 bytes checksummed\n"), bad.out());
        assertEquals(0, Cli.run("verify", "-q", "--quick", archive.toString()).code());

        try (RandomAccessFile shard = new RandomAccessFile(tmp.resolve("s.barecat-shard-00000").toFile(), "rw")) {
            shard.setLength(50_000);
        }
        Cli.Run cut = Cli.run("verify", "-q", "--quick", archive.toString());
        assertEquals(1, cut.code());
        assertTrue(cut.out().contains("runs past the end of shard 0"), cut.out());
    }

    @Test
    void verifyFindsStaleDirectoryStatistics() throws Exception {
        Path archive = tmp.resolve("legacy.barecat");
        IndependentWriter.run("hostile", archive.toString());
        Cli.Run r = Cli.run("verify", "-q", archive.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("sub: directory statistics wrong: num_files is 0, should be 1"), r.out());
        assertTrue(r.out().contains("../escape.txt: not a valid path"), r.out());
    }

    @Test
    void extractNeverWritesOutsideTheTargetNorThroughALink() throws Exception {
        Path archive = tmp.resolve("hostile.barecat");
        IndependentWriter.run("hostile", archive.toString());
        Path box = Files.createDirectories(tmp.resolve("box"));
        Path target = Files.createDirectories(box.resolve("target"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(target.resolve("link"), elsewhere);
        Cli.Run r = Cli.run("extract", "-q", archive.toString(), "-C", target.toString());
        assertEquals(1, r.code());
        for (String refused : List.of("../escape.txt", "/abs.txt", "a//b.txt", "a/./c.txt", "a/../../up.txt", "link/through.txt")) {
            assertTrue(r.err().contains("barecat: " + refused + ": refused"), refused + " in " + r.err());
        }
        assertEquals(Set.of("target", "target/good.txt", "target/link", "target/sub", "target/sub/ok.txt"), tree(box));
        assertEquals(Set.of(), tree(elsewhere));
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
        assertFalse(Files.exists(Path.of("/abs.txt")));
    }

    @Test
    void extractKeepsExistingFilesUnlessAskedAndReplacesALinkItselfNotItsTarget() throws Exception {
        Path archive = TestTrees.sampleArchive(tmp);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path victim = Files.writeString(tmp.resolve("victim"), "keep me");
        Files.createSymbolicLink(out.resolve("top.txt"), victim);
        Cli.Run kept = Cli.run("extract", "-q", archive.toString(), "top.txt", "-C", out.toString());
        assertEquals(1, kept.code());
        assertTrue(kept.err().contains("top.txt: not overwritten"), kept.err());
        assertEquals(0, Cli.run("extract", "-q", "-k", archive.toString(), "top.txt", "-C", out.toString()).code());
        assertEquals(0, Cli.run("extract", "-q", "--overwrite", archive.toString(), "top.txt", "-C", out.toString()).code());
        assertEquals("keep me", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(out.resolve("top.txt")));
        assertEquals("top\n", Files.readString(out.resolve("top.txt")));
        assertEquals(0, Cli.run("extract", "-q", archive.toString(), "a", "-C", out.toString()).code());
        assertEquals("hello\n", Files.readString(out.resolve("a/b/hello.txt")));
        assertEquals(1, Cli.run("extract", "-q", archive.toString(), "nope", "-C", out.toString()).code());
    }

    private static Set<String> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
        }
    }
}
