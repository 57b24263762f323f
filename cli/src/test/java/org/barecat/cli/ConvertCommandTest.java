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
        Path archive = TestTrees.sampleArchive(tmp);
        Path src = tmp.resolve("src");
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
        assertTrue(Cli.run("ls", "-l", archive.toString()).out().contains("-rw-------    1 "));
        assertEquals(2, Cli.run("convert", zip.toString(), tmp.resolve("x.zip").toString()).code());
    }
    /** Runs a Python script (with {@code args} as sys.argv[1:]) in the temp dir. */
    private void python(String script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        TestTrees.exec(tmp, cmd.toArray(String[]::new));
    }

    /**
     * Writes {@code tar} with Python's tarfile, opened with {@code options} (keyword arguments), holding the
     * files of {@code entries}: Python tuples of a name and its bytes, in the order written.
     */
    private void pythonTar(Path tar, String options, String entries) throws Exception {
        python(String.join("\n",
                "import io, sys, tarfile",
                "with tarfile.open(sys.argv[1], 'w', " + options + ") as t:",
                "    for n, d in (" + entries + "):",
                "        i = tarfile.TarInfo(n); i.size = len(d); t.addfile(i, io.BytesIO(d))"), tar.toString());
    }

    private static List<String> files(Path archive) {
        return TestTrees.lines(Cli.run("find", archive.toString(), "-type", "f").out()).stream().sorted().toList();
    }

    @Test
    void latin1NamesInUstarAndGnuTarsAreErrorsUnlessTheirEncodingIsNamed() throws Exception {
        for (String format : List.of("GNU_FORMAT", "USTAR_FORMAT")) {
            Path tar = tmp.resolve(format + ".tar");
            // tarfile writes these names' Latin-1 bytes into the headers as they are
            pythonTar(tar, "format=tarfile." + format + ", encoding='latin-1'",
                    "('caf\\xe9.txt', b'one\\n'), ('caf\\xe8.txt', b'two\\n'), ('ok.txt', b'ok\\n')");

            Path strict = tmp.resolve(format + ".barecat");
            Cli.Run r = Cli.run("convert", "-q", tar.toString(), strict.toString());
            assertEquals(1, r.code(), r.err());
            assertEquals("barecat: caf\\xe9.txt: name is not valid UTF-8; not stored (see --encoding)\n"
                    + "barecat: caf\\xe8.txt: name is not valid UTF-8; not stored (see --encoding)\n", r.err());
            assertEquals(List.of("ok.txt"), files(strict), "the other entries are stored");

            Path latin1 = tmp.resolve(format + ".latin1.barecat");
            Cli.Run named = Cli.run("convert", "-q", "--encoding", "latin-1", tar.toString(), latin1.toString());
            assertEquals(0, named.code(), named.err());
            assertEquals("", named.err());
            assertEquals(List.of("caf\u00e8.txt", "caf\u00e9.txt", "ok.txt"), files(latin1));
            assertEquals("one\n", Cli.run("cat", latin1.toString(), "caf\u00e9.txt").out());
            assertEquals("two\n", Cli.run("cat", latin1.toString(), "caf\u00e8.txt").out());

            Path fromStdin = tmp.resolve(format + ".stdin.barecat");
            TestTrees.exec(tmp, "gzip", "-k", tar.toString());
            byte[] gzipped = Files.readAllBytes(tmp.resolve(format + ".tar.gz"));
            Cli.Run stdin = Cli.runWithInput(gzipped, "convert", "-q", "--encoding", "latin1", "-",
                    fromStdin.toString());
            assertEquals(0, stdin.code(), stdin.err());
            assertEquals(files(latin1), files(fromStdin));
        }
    }

    @Test
    void paxNamesThatAreNotUtf8AreErrorsUnlessTheirEncodingIsNamedAndUtf8OnesStayUtf8() throws Exception {
        // GNU tar puts a name it cannot make UTF-8 into the pax 'path' record as raw bytes
        python("import os\nos.makedirs(b'src/d')\nopen(b'src/d/caf\\xe9.txt', 'wb').write(b'gnu\\n')");
        Path gnu = tmp.resolve("gnu-pax.tar");
        TestTrees.exec(tmp, "tar", "--format=pax", "-cf", gnu.toString(), "-C", "src", "d");
        // Python's tarfile marks such a record 'hdrcharset=BINARY'; a name that is UTF-8 it writes as UTF-8
        Path python = tmp.resolve("python-pax.tar");
        pythonTar(python, "format=tarfile.PAX_FORMAT, errors='surrogateescape'",
                "('x/caf\\udce9.txt', b'bin\\n'), ('x/na\\xefve.txt', b'utf\\n')");

        Cli.Run r = Cli.run("convert", "-q", gnu.toString(), tmp.resolve("gnu.barecat").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: d/caf\\xe9.txt: name is not valid UTF-8; not stored (see --encoding)\n", r.err());
        r = Cli.run("convert", "-q", python.toString(), tmp.resolve("python.barecat").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: x/caf\\xe9.txt: name is not valid UTF-8; not stored (see --encoding)\n", r.err());
        assertEquals(List.of("x/na\u00efve.txt"), files(tmp.resolve("python.barecat")));

        r = Cli.run("convert", "-q", "--encoding", "latin-1", gnu.toString(), tmp.resolve("gnu1.barecat").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("d/caf\u00e9.txt"), files(tmp.resolve("gnu1.barecat")));
        assertEquals("gnu\n", Cli.run("cat", tmp.resolve("gnu1.barecat").toString(), "d/caf\u00e9.txt").out());
        r = Cli.run("convert", "-q", "--encoding", "latin-1", python.toString(),
                tmp.resolve("python1.barecat").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("x/caf\u00e9.txt", "x/na\u00efve.txt"), files(tmp.resolve("python1.barecat")),
                "the pax record that is UTF-8 stays UTF-8");
    }

    @Test
    void zipNamesWithoutTheUtf8FlagAreDecodedWithTheEncodingNamedAndFlaggedOnesStayUtf8() throws Exception {
        // Info-ZIP's zip stores a name's bytes as they are, without the UTF-8 flag; Python's zipfile flags UTF-8 names
        // (zip adds to the zip Python wrote and keeps its entry as it is; Python, adding, would rewrite the other)
        Path zip = tmp.resolve("in.zip");
        python(String.join("\n",
                "import os, sys, zipfile",
                "os.makedirs(b'z')",
                "open(b'z/caf\\xe9.txt', 'wb').write(b'latin\\n')",
                "with zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('na\\xefve.txt', b'utf\\n')"), zip.toString());
        TestTrees.exec(tmp.resolve("z"), "zip", "-q", "-r", zip.toString(), ".");

        Cli.Run r = Cli.run("convert", "-q", zip.toString(), tmp.resolve("strict.barecat").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: caf\\xe9.txt: name is not valid UTF-8; not stored (see --encoding)\n", r.err());
        assertEquals(List.of("na\u00efve.txt"), files(tmp.resolve("strict.barecat")));

        r = Cli.run("convert", "-q", "--encoding", "latin-1", zip.toString(), tmp.resolve("latin1.barecat").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("caf\u00e9.txt", "na\u00efve.txt"), files(tmp.resolve("latin1.barecat")));
        assertEquals("latin\n", Cli.run("cat", tmp.resolve("latin1.barecat").toString(), "caf\u00e9.txt").out());

        Cli.Run bad = Cli.run("convert", "-q", "--encoding", "utf-16", zip.toString(),
                tmp.resolve("x.barecat").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("'utf-16' cannot encode file names"), bad.err());
    }

    @Test
    void namesThatBecomeTheSamePathOnlyOnceConvertedAreReportedAsSuch() throws Exception {
        Path tar = tmp.resolve("dup.tar");
        pythonTar(tar, "format=tarfile.GNU_FORMAT", "('./a/b.txt', b'one\\n'), ('a/b.txt', b'two\\n'),"
                + " ('/a/b.txt', b'three\\n'), ('./c.txt', b'c1\\n'), ('./c.txt', b'c2\\n')");
        Path archive = tmp.resolve("dup.barecat");
        Cli.Run r = Cli.run("convert", "-q", tar.toString(), archive.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: a/b.txt: not stored: ./a/b.txt and a/b.txt both become a/b.txt\n"
                + "barecat: /a/b.txt: not stored: ./a/b.txt and /a/b.txt both become a/b.txt\n"
                + "barecat: ./c.txt: skipped: appears twice; the first copy was kept\n"
                + "barecat: 1 entry skipped (links, devices and repeated names cannot be stored; see the lines"
                + " above)\n",
                r.err());
        assertEquals("one\n", Cli.run("cat", archive.toString(), "a/b.txt").out());
        assertEquals("c1\n", Cli.run("cat", archive.toString(), "c.txt").out());
    }
}
