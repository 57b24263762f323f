package org.barecat.cli;

import org.barecat.testing.ArchiveSnapshot;
import org.barecat.tools.write.Packer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateAndAddCommandTest {
    @TempDir
    Path tmp;

    @Test
    void createStoresTreeWithMetadataAndExtractRestoresItExactly() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("s.barecat");
        Cli.Run create = Cli.run("create", "-q", "-C", src.toString(), archive.toString(), ".");
        assertEquals(0, create.code(), create.err());
        assertTrue(create.err().contains("a/link: skipped: symbolic link not stored"), create.err());
        assertTrue(create.err().contains("1 entry skipped"), create.err());

        Cli.Run extract = Cli.run("extract", "-q", archive.toString(), "-C", tmp.resolve("out").toString());
        assertEquals(0, extract.code(), extract.err());
        Map<String, String> expected = TestTrees.describe(src);
        expected.keySet().removeIf(k -> k.equals("a/link"));
        assertEquals(expected, TestTrees.describe(tmp.resolve("out")));
        assertEquals(1_600_000_000_123_456_789L, Files.getLastModifiedTime(tmp.resolve("out/a/b/hello.txt"))
                .to(TimeUnit.NANOSECONDS));
    }

    @Test
    void withoutForceAnExistingArchiveIsNeverTouched() throws Exception {
        Path archive = TestTrees.sampleArchive(tmp, "top.txt");
        Path src = tmp.resolve("src");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        Cli.Run again = Cli.run("create", "-q", "-C", src.toString(), archive.toString(), ".");
        assertEquals(1, again.code());
        assertEquals("barecat: " + archive + ": archive exists (use -f to replace it)\n", again.err());
        before.assertUnchanged();
        assertEquals(0, Cli.run("create", "-q", "-f", "-C", src.toString(), archive.toString(), ".").code());
        assertEquals("hello\n", Cli.run("cat", archive.toString(), "a/b/hello.txt").out());
    }

    @Test
    void parallelWorkersWriteTheSameArchiveAsOne() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 300; i++) {
            TestTrees.file(src, "d" + (i % 7) + "/f" + i, "content " + i + " ".repeat(i * 37 % 5000), 0644,
                    1_600_000_000_000_000_000L + i);
        }
        TestTrees.file(src, "huge", "y".repeat(5 << 20), 0644, 1_600_000_000_000_000_000L); // streamed, not read ahead
        Path one = tmp.resolve("one.barecat");
        Path four = tmp.resolve("four.barecat");
        assertEquals(0, Cli.run("create", "-q", "-j", "1", "-s", "64K", "-C", src.toString(), one.toString(), ".").code());
        assertEquals(0, Cli.run("create", "-q", "-j", "4", "-s", "64K", "-C", src.toString(), four.toString(), ".").code());
        for (int shard = 0; Files.exists(tmp.resolve(String.format("one.barecat-shard-%05d", shard))); shard++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve(String.format("one.barecat-shard-%05d", shard))),
                    Files.readAllBytes(tmp.resolve(String.format("four.barecat-shard-%05d", shard))), "shard " + shard);
        }
        assertFalse(Files.exists(tmp.resolve("four.barecat-shard-" + String.format("%05d", countShards("one")))));
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(four), "the index files are identical");
        assertEquals(0, Cli.run("verify", "-q", four.toString()).code());
    }

    private int countShards(String name) {
        int n = 0;
        while (Files.exists(tmp.resolve(String.format("%s.barecat-shard-%05d", name, n)))) {
            n++;
        }
        return n;
    }

    @Test
    void pathsFromNulSeparatedStdinAreStoredWithoutRecursion() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("t.barecat");
        byte[] list = "a\0a/b/hello.txt\0top.txt\0".getBytes(StandardCharsets.UTF_8);
        Cli.Run r = Cli.runWithInput(list, "create", "-q", "-T", "-", "-0", "-C", src.toString(), archive.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("a/b/hello.txt", "top.txt"),
                TestTrees.lines(Cli.run("find", archive.toString(), "-type", "f").out()));
        assertEquals(List.of(".", "a", "a/b"), TestTrees.lines(Cli.run("find", archive.toString(), "-type", "d").out()));
    }

    @Test
    void excludeAndIncludeFilterLikeTar() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path excluded = tmp.resolve("x.barecat");
        assertEquals(0, Cli.run("create", "-q", "--exclude", "*.txt", "--exclude", "odd names", "-C", src.toString(),
                excluded.toString(), ".").code());
        assertEquals(List.of("a/big.bin"), TestTrees.lines(Cli.run("find", excluded.toString(), "-type", "f").out()));
        Path included = tmp.resolve("i.barecat");
        assertEquals(0, Cli.run("create", "-q", "--include", "*.txt", "-C", src.toString(), included.toString(), ".")
                .code());
        assertEquals(List.of(".", "a", "a/b", "a/b/hello.txt", "odd names", "odd names/sp ace & 'q' %#.txt", "top.txt"),
                TestTrees.lines(Cli.run("find", included.toString()).out()).stream().sorted().toList());
    }

    @Test
    void createAndAddRefuseNoPathsAndFewerThanOneWorkerAsBadArgumentsChangingNothing() throws Exception {
        Path archive = TestTrees.sampleArchive(tmp, "top.txt");
        Path src = tmp.resolve("src");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        Cli.Run noPaths = Cli.run("add", "-q", archive.toString());
        assertEquals(2, noPaths.code());
        assertEquals("barecat: add: nothing to add (give PATHS or -T FILE)\n", noPaths.err());
        Cli.Run noWorkers = Cli.run("add", "-q", "-j", "0", "-C", src.toString(), archive.toString(), ".");
        assertEquals(2, noWorkers.code());
        assertEquals("barecat: add: --workers must be at least 1\n", noWorkers.err());
        before.assertUnchanged();

        Path created = tmp.resolve("new.barecat");
        assertEquals("barecat: create: nothing to store (give PATHS or -T FILE)\n",
                Cli.run("create", "-q", created.toString()).err());
        Cli.Run createNoWorkers = Cli.run("create", "-q", "-j", "0", created.toString(), src.toString());
        assertEquals(2, createNoWorkers.code());
        assertEquals("barecat: create: --workers must be at least 1\n", createNoWorkers.err());
        assertFalse(Files.exists(created));
    }

    @Test
    void addAppendsAtTheEndOfTheLastShardAndKeepsStatisticsRight() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("s.barecat");
        assertEquals(0, Cli.run("create", "-q", "-s", "150K", "-C", src.toString(), archive.toString(), "a").code());
        long shardBefore = Files.size(tmp.resolve("s.barecat-shard-00000"));
        Cli.Run add = Cli.run("add", "-q", "-C", src.toString(), archive.toString(), "odd names", "top.txt");
        assertEquals(0, add.code(), add.err());
        assertEquals(shardBefore + 12, Files.size(tmp.resolve("s.barecat-shard-00000")), "appended to the same shard");
        Cli.Run missing = Cli.run("add", "-q", "-C", src.toString(), archive.toString(), "no-such-file");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no-such-file: no such file or directory"), missing.err());
        TestTrees.file(tmp.resolve("more"), "new/big2.bin", "z".repeat(100_000), 0644, 1L);
        Cli.Run more = Cli.run("add", "-q", "-C", tmp.resolve("more").toString(), archive.toString(), "new");
        assertEquals(0, more.code(), more.err());
        assertTrue(Files.exists(tmp.resolve("s.barecat-shard-00001")), "a new shard at the limit");
        Cli.Run verify = Cli.run("verify", "-q", archive.toString());
        assertEquals(0, verify.code(), verify.out());
        assertEquals("196\t.\n", Cli.run("du", "-s", archive.toString()).out());
        assertEquals("200018\t.\n", Cli.run("du", "-s", "-b", archive.toString()).out());
        assertEquals("z".repeat(100_000), Cli.run("cat", archive.toString(), "new/big2.bin").out());
    }

    @Test
    void addingAnExistingPathFailsAndAddsNothingUnlessAsked() throws Exception {
        Path archive = TestTrees.sampleArchive(tmp, "top.txt");
        Path src = tmp.resolve("src");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        TestTrees.file(src, "top.txt", "changed\n", 0644, 5L);
        Cli.Run fail = Cli.run("add", "-q", "-C", src.toString(), archive.toString(), "a", "top.txt");
        assertEquals(1, fail.code());
        assertTrue(fail.err().endsWith("barecat: top.txt: already in the archive (use --overwrite or"
                + " --skip-existing); nothing was added\n"), fail.err());
        before.assertUnchanged();

        assertEquals(0, Cli.run("add", "-q", "--skip-existing", "-C", src.toString(), archive.toString(), "a", "top.txt")
                .code());
        assertEquals("top\n", Cli.run("cat", archive.toString(), "top.txt").out());
        assertEquals("hello\n", Cli.run("cat", archive.toString(), "a/b/hello.txt").out());

        assertEquals(0, Cli.run("add", "-q", "--overwrite", "-C", src.toString(), archive.toString(), "top.txt").code());
        assertEquals("changed\n", Cli.run("cat", archive.toString(), "top.txt").out());
        assertEquals(0, Cli.run("verify", "-q", archive.toString()).code());
        assertEquals(2, Cli.run("add", "--overwrite", "--skip-existing", archive.toString(), "x").code());
    }
    private static List<String> files(Path archive) {
        return TestTrees.lines(Cli.run("find", archive.toString(), "-type", "f").out()).stream().sorted().toList();
    }

    @Test
    void namesThatAreNotUtf8AreErrorsUnlessTheirEncodingIsNamed() throws Exception {
        Path src = tmp.resolve("src");
        // Java cannot make such names: Python makes them from bytes
        TestTrees.exec(tmp, "python3", "-c", String.join("\n",
                "import os",
                "os.makedirs(b'src/d\\xe9j\\xe0')",
                "open(b'src/d\\xe9j\\xe0/f', 'wb').write(b'f\\n')",
                "open(b'src/caf\\xe9.txt', 'wb').write(b'latin\\n')",
                "open(b'src/ok.txt', 'wb').write(b'ok\\n')"));
        Path strict = tmp.resolve("strict.barecat");
        Cli.Run r = Cli.run("create", "-q", "-C", src.toString(), strict.toString(), ".");
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: " + src + "/caf\\xe9.txt: name is not valid UTF-8; not stored (see --encoding)\n"
                + "barecat: " + src + "/d\\xe9j\\xe0/: name is not valid UTF-8; not stored (see --encoding)\n",
                r.err());
        assertEquals(List.of("ok.txt"), files(strict), "the other files are stored");
        assertEquals(0, Cli.run("verify", "-q", strict.toString()).code());

        Path latin1 = tmp.resolve("latin1.barecat");
        r = Cli.run("create", "-q", "--encoding", "latin-1", "-C", src.toString(), latin1.toString(), ".");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(List.of("caf\u00e9.txt", "d\u00e9j\u00e0/f", "ok.txt"), files(latin1));
        assertEquals("latin\n", Cli.run("cat", latin1.toString(), "caf\u00e9.txt").out());

        // -T lists are bytes too
        byte[] list = {'c', 'a', 'f', (byte) 0xe9, '.', 't', 'x', 't', 0, 'o', 'k', '.', 't', 'x', 't', 0};
        Path listed = tmp.resolve("listed.barecat");
        r = Cli.runWithInput(list, "create", "-q", "-T", "-", "-0", "-C", src.toString(), listed.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: " + src + "/caf\\xe9.txt: name is not valid UTF-8; not stored (see --encoding)\n",
                r.err());
        Path listed1 = tmp.resolve("listed1.barecat");
        r = Cli.runWithInput(list, "create", "-q", "--encoding", "latin-1", "-T", "-", "-0", "-C", src.toString(),
                listed1.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("caf\u00e9.txt", "ok.txt"), files(listed1));

        // add shares the walk
        r = Cli.run("add", "-q", "-C", src.toString(), strict.toString(), ".");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("barecat: " + src + "/d\\xe9j\\xe0/: name is not valid UTF-8; not stored"),
                r.err());
        // a PATH argument is text already: this one names the UTF-8 name, which is not there
        r = Cli.run("add", "-q", "--encoding", "latin1", "-C", src.toString(), listed1.toString(), "d\u00e9j\u00e0");
        assertEquals("barecat: " + src + "/d\u00e9j\u00e0: no such file or directory\n", r.err());
        assertEquals(1, r.code());
        r = Cli.run("add", "-q", "--skip-existing", "--encoding", "latin1", "-C", src.toString(), listed1.toString(),
                ".");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("caf\u00e9.txt", "d\u00e9j\u00e0/f", "ok.txt"), files(listed1));
        assertEquals(0, Cli.run("verify", "-q", listed1.toString()).code());
    }
    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + i / 251);
        }
        return b;
    }

    /**
     * Runs barecat with {@code args} (create or add) while {@code truncate} (another process) changes each named
     * file the first time the command has read from it, through the packer's test seam: {@code sizes} maps a file
     * name to truncate's size.
     */
    private static Cli.Run runChangingFilesWhenFirstRead(Map<String, String> sizes, String... args) {
        Set<String> done = ConcurrentHashMap.newKeySet();
        Packer.readObserverForTests = (file, bytesRead) -> {
            String name = file.getFileName().toString();
            if (sizes.containsKey(name) && done.add(name)) {
                try {
                    TestTrees.exec(file.getParent(), "truncate", "-s", sizes.get(name), name);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try {
            return Cli.run(args);
        } finally {
            Packer.readObserverForTests = null;
        }
    }

    @Test
    void filesThatGrowOrShrinkWhileCreateReadsThemAreStoredAsReadAndReported() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] big = pattern(5 << 20); // over the read-ahead limit: streamed by the writer, 64 KiB a read
        byte[] small = pattern(100_000); // read ahead, in one read
        for (String name : List.of("grows", "shrinks")) {
            Files.write(src.resolve(name), big);
        }
        for (String name : List.of("small-grows", "small-shrinks", "steady")) {
            Files.write(src.resolve(name), small);
        }
        Path archive = tmp.resolve("c.barecat");
        Cli.Run r = runChangingFilesWhenFirstRead(
                Map.of("grows", "+1M", "shrinks", "1M", "small-grows", "+1M", "small-shrinks", "10"),
                "create", "-q", "-j", "1", "-C", src.toString(), archive.toString(), ".");
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: " + src + "/grows: file changed as we read it; stored the 5242880 bytes read"
                        + " (5242880 when looked at, 6291456 now)\n"
                        + "barecat: " + src + "/shrinks: file changed as we read it; stored the 1048576 bytes read"
                        + " (5242880 when looked at, 1048576 now)\n"
                        + "barecat: " + src + "/small-grows: file changed as we read it; stored the 100000 bytes read"
                        + " (100000 when looked at, 1148576 now)\n"
                        + "barecat: " + src + "/small-shrinks: file changed as we read it; stored the 100000 bytes"
                        + " read (100000 when looked at, 10 now)\n",
                r.err());
        assertArrayEquals(big, Cli.run("cat", archive.toString(), "grows").stdout());
        assertArrayEquals(java.util.Arrays.copyOf(big, 1 << 20),
                Cli.run("cat", archive.toString(), "shrinks").stdout());
        assertArrayEquals(small, Cli.run("cat", archive.toString(), "small-grows").stdout());
        assertArrayEquals(small, Cli.run("cat", archive.toString(), "small-shrinks").stdout());
        assertArrayEquals(small, Cli.run("cat", archive.toString(), "steady").stdout());
        Cli.Run verify = Cli.run("verify", archive.toString());
        assertEquals(0, verify.code(),
                "sizes and checksums are those of the bytes stored: " + verify.out() + verify.err());
    }

    @Test
    void filesThatGrowOrShrinkWhileAddReadsThemAreStoredAsReadAndReported() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] big = pattern(5 << 20);
        byte[] small = pattern(100_000);
        Files.write(src.resolve("first"), small);
        Path archive = tmp.resolve("a.barecat");
        assertEquals(0, Cli.run("create", "-q", "-C", src.toString(), archive.toString(), "first").code());
        Files.write(src.resolve("shrinks"), big);
        Files.write(src.resolve("small-grows"), small);
        Cli.Run r = runChangingFilesWhenFirstRead(Map.of("shrinks", "100K", "small-grows", "+10"),
                "add", "-q", "-j", "2", "-C", src.toString(), archive.toString(), "shrinks", "small-grows");
        assertEquals(1, r.code(), r.err());
        assertEquals("barecat: " + src + "/shrinks: file changed as we read it; stored the 102400 bytes read"
                        + " (5242880 when looked at, 102400 now)\n"
                        + "barecat: " + src + "/small-grows: file changed as we read it; stored the 100000 bytes read"
                        + " (100000 when looked at, 100010 now)\n",
                r.err());
        assertArrayEquals(java.util.Arrays.copyOf(big, 102400), Cli.run("cat", archive.toString(), "shrinks").stdout());
        assertArrayEquals(small, Cli.run("cat", archive.toString(), "small-grows").stdout());
        assertEquals(0, Cli.run("verify", "-q", archive.toString()).code());
    }
}
