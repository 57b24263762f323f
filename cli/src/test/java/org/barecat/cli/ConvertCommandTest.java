package org.barecat.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertCommandTest {
    @TempDir
    Path tmp;

    /** A tar made by the real tar program: owners, modes, nanosecond mtimes (pax), a symlink, a hard link. */
    private Path realTar(String name, String... compression) throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Files.createLink(src.resolve("a/hardlink"), src.resolve("top.txt"));
        Path tar = tmp.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("tar", "--format=pax", "--sort=name", "-cf", tar.toString()));
        cmd.addAll(List.of(compression));
        cmd.addAll(List.of("-C", src.toString(), "."));
        TestTrees.exec(tmp, cmd.toArray(String[]::new));
        return tar;
    }

    @Test
    void tarIntoBarecatKeepsNamesModesMtimesAndCountsWhatItSkips() throws Exception {
        Path tar = realTar("in.tar");
        Path archive = tmp.resolve("from-tar.barecat");
        Cli.Run r = Cli.run("convert", "-q", tar.toString(), archive.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("./a/link: skipped: symbolic link not stored"), r.err());
        // tar stores the first name of a hard-linked file with its bytes, the later ones as links
        assertTrue(r.err().contains("./top.txt: skipped: hard link not stored"), r.err());
        assertTrue(r.err().contains("2 entries skipped"), r.err());
        assertEquals(0, Cli.run("extract", "-q", archive.toString(), "-C", tmp.resolve("out").toString()).code());
        Map<String, String> expected = TestTrees.describe(tmp.resolve("src"));
        expected.remove("a/link");
        expected.remove("top.txt");
        assertEquals(expected, TestTrees.describe(tmp.resolve("out")));
    }

    @Test
    void everyCompressionAndStdinGiveTheSameArchiveContents() throws Exception {
        String expected = null;
        for (String[] c : List.of(new String[] {"in.tar.gz", "-z"}, new String[] {"in.tar.bz2", "-j"},
                new String[] {"in.tar.xz", "-J"}, new String[] {"in.tar.zst", "--zstd"})) {
            if (c[1].equals("--zstd") && !hasZstd()) {
                continue;
            }
            deleteTree(tmp.resolve("src"));
            Path tar = realTar(c[0], c[1]);
            Path archive = tmp.resolve(c[0] + ".barecat");
            Cli.Run r = Cli.run("convert", "-q", tar.toString(), archive.toString());
            assertEquals(0, r.code(), c[0] + ": " + r.err());
            String listing = Cli.run("find", archive.toString(), "-type", "f").out() + Cli.run("cat", archive.toString(),
                    "a/big.bin", "odd names/ünï/ファイル").out();
            if (expected == null) {
                expected = listing;
            }
            assertEquals(expected, listing, c[0]);
            Path fromStdin = tmp.resolve(c[0] + ".stdin.barecat");
            Cli.Run s = Cli.runWithInput(Files.readAllBytes(tar), "convert", "-q", "-", fromStdin.toString());
            assertEquals(0, s.code(), s.err());
            assertArrayEquals(Files.readAllBytes(tmp.resolve(c[0] + ".barecat-shard-00000")),
                    Files.readAllBytes(tmp.resolve(c[0] + ".stdin.barecat-shard-00000")));
        }
        assertTrue(expected.contains("odd names/sp ace & 'q' %#.txt"), expected);
    }

    private static boolean hasZstd() {
        try {
            return new ProcessBuilder("zstd", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
    }

    @Test
    void barecatIntoTarIsReadByTheRealTarWithModesOwnersAndMtimes() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("s.barecat");
        assertEquals(0, Cli.run("create", "-q", "-C", src.toString(), archive.toString(), ".").code());
        for (String name : List.of("out.tar", "out.tar.gz", "out.tar.xz", "out.tar.bz2")) {
            Path tar = tmp.resolve(name);
            Cli.Run r = Cli.run("convert", "-q", archive.toString(), tar.toString());
            assertEquals(0, r.code(), r.err());
            String listing = TestTrees.exec(tmp, "tar", "--numeric-owner", "--full-time", "-tvf", tar.toString());
            assertTrue(listing.contains("-rw-r----- "), listing);
            assertTrue(listing.contains(" 2020-09-13 ") || listing.contains(" 2020-09-12 "), listing);
            assertTrue(listing.contains(" a/b/hello.txt\n"), listing);
            assertTrue(listing.contains("drwx------ "), listing);
            Path out = Files.createDirectories(tmp.resolve("x-" + name));
            TestTrees.exec(tmp, "tar", "-xf", tar.toString(), "-C", out.toString());
            Map<String, String> expected = TestTrees.describe(src);
            expected.remove("a/link");
            assertEquals(expected, TestTrees.describe(out), name);
        }
        assertFalse(Files.exists(tmp.resolve("out.tar.incomplete")));
        Cli.Run exists = Cli.run("convert", "-q", archive.toString(), tmp.resolve("out.tar").toString());
        assertEquals(1, exists.code());
        Cli.Run toStdout = Cli.run("convert", "-q", archive.toString(), "-");
        assertEquals(0, toStdout.code());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("out.tar")), toStdout.stdout());
    }

    @Test
    void zipIntoBarecat() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Files.delete(src.resolve("a/link"));
        Path zip = tmp.resolve("in.zip");
        try (var out = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(zip)) {
            for (String rel : List.of("top.txt", "a/b/hello.txt", "a/big.bin")) {
                var e = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(rel);
                e.setUnixMode(0100600);
                out.putArchiveEntry(e);
                out.write(Files.readAllBytes(src.resolve(rel)));
                out.closeArchiveEntry();
            }
        }
        Path archive = tmp.resolve("z.barecat");
        assertEquals(0, Cli.run("convert", "-q", zip.toString(), archive.toString()).code());
        assertEquals("hello\n", Cli.run("cat", archive.toString(), "a/b/hello.txt").out());
        assertTrue(Cli.run("ls", "-l", archive.toString()).out().contains("-rw-------  1 "));
        assertEquals(2, Cli.run("convert", zip.toString(), tmp.resolve("x.zip").toString()).code());
    }
}
