package org.barecat.cli;

import org.barecat.testing.ArchiveSnapshot;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barecat rsync}: the original's paths, lines, decisions and errors. */
class RsyncCommandTest {
    @TempDir
    Path tmp;

    private Path source() throws IOException {
        Path data = tmp.resolve("data");
        TreeBuilder.directory(data)
                .file("a.txt", "hi\n").mtimeNs(1_600_000_000_000_000_001L)
                .file(".hid", "hidden\n").mtimeNs(1_600_000_000_000_000_002L)
                .file("sub1/b.txt", "b\n").mtimeNs(1_600_000_000_000_000_003L)
                .file("sub2/c.bin", "c".repeat(3000)).mtimeNs(1_600_000_000_000_000_004L)
                .file("sub2/deep/d.txt", "d\n").mtimeNs(1_600_000_000_000_000_005L)
                .file("sub2/x.tmp", "tmp\n").mtimeNs(1_600_000_000_000_000_006L)
                .dir("empty")
                .build();
        return data;
    }

    /** All of {@code data} sent by barecat rsync into the new archive tmp/NAME. */
    private Path sent(Path data, String name) {
        Path archive = tmp.resolve(name);
        assertEquals(0, Cli.run("rsync", data + "/", archive + "::").code());
        return archive;
    }

    @Test
    void localToArchivePrintsTheOriginalsLinesAndSendsOnlyWhatChanged() throws IOException {
        Path data = source();
        Path archive = tmp.resolve("r.barecat");
        Cli.Run r = Cli.run("rsync", "-v", "--exclude", "*.tmp", data.toString(), archive + "::inner/");
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                add: inner/data/.hid
                add: inner/data/a.txt
                add: inner/data/sub1/b.txt
                add: inner/data/sub2/c.bin
                add: inner/data/sub2/deep/d.txt
                """, r.out());
        assertEquals(0, Cli.run("verify", "-q", archive.toString()).code());

        r = Cli.run("rsync", "-v", "-u", "--exclude", "*.tmp", data.toString(), archive + "::inner");
        assertEquals("""
                skip (newer): inner/data/.hid
                skip (newer): inner/data/a.txt
                skip (newer): inner/data/sub1/b.txt
                skip (newer): inner/data/sub2/c.bin
                skip (newer): inner/data/sub2/deep/d.txt
                """, r.out(), "-u: the archive's copies are as new");
        Files.writeString(data.resolve("a.txt"), "changed\n");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        r = Cli.run("rsync", "-n", "--include", "x*", "--exclude", "*.tmp", data.toString(), archive + "::inner");
        assertEquals("would update: inner/data/a.txt\nwould add: inner/data/sub2/x.tmp\n", r.out(),
                "--include rescues an excluded name");
        before.assertUnchanged();
        r = Cli.run("rsync", "-c", data + "/", archive + "::inner/data");
        assertEquals("", r.out(), "a real run is silent without -v");
        assertEquals("changed\n", Cli.run("cat", archive.toString(), "inner/data/a.txt").out());

        // --delete removes what the source no longer has, below the tree sent only
        assertEquals(0, Cli.run("rsync", data.toString(), archive + "::other").code());
        Files.delete(data.resolve("sub1/b.txt"));
        r = Cli.run("rsync", "-v", "--delete", data + "/", archive + "::inner/data");
        assertTrue(r.out().contains("delete: inner/data/sub1/b.txt\n"), r.out());
        assertEquals(0, Cli.run("cat", archive.toString(), "other/data/sub1/b.txt").code(), "outside the tree");
        assertEquals(1, Cli.run("cat", archive.toString(), "inner/data/sub1/b.txt").code());
        assertEquals(0, Cli.run("verify", "-q", archive.toString()).code());
    }

    @Test
    void archiveToLocalExtractsDeletesAndKeepsWhatIsUnchanged() throws IOException {
        Path data = source();
        Path archive = sent(data, "r.barecat");
        Path ro = tmp.resolve("ro");
        Cli.Run r = Cli.run("rsync", "-v", archive + "::sub2", ro.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("extract: " + ro + "/sub2/c.bin\nextract: " + ro + "/sub2/deep/d.txt\nextract: " + ro
                + "/sub2/x.tmp\n", r.out());
        assertEquals("c".repeat(3000), Files.readString(ro.resolve("sub2/c.bin")));
        assertEquals(1_600_000_000_000_000_004L, Files.getLastModifiedTime(ro.resolve("sub2/c.bin"))
                .to(java.util.concurrent.TimeUnit.NANOSECONDS), "the mtime to the nanosecond");

        Files.writeString(ro.resolve("sub2/extra"), "x");
        Files.writeString(ro.resolve("beside"), "kept: not below the tree sent");
        r = Cli.run("rsync", "-v", "--delete", archive + "::sub2", ro.toString());
        assertEquals("skip (unchanged): " + ro + "/sub2/c.bin\nskip (unchanged): " + ro + "/sub2/deep/d.txt\n"
                + "skip (unchanged): " + ro + "/sub2/x.tmp\ndelete: " + ro + "/sub2/extra\n", r.out());
        assertFalse(Files.exists(ro.resolve("sub2/extra")));
        assertTrue(Files.exists(ro.resolve("beside")));

        Path whole = tmp.resolve("whole");
        assertEquals(0, Cli.run("rsync", archive + "::", whole.toString()).code());
        assertEquals(TestTrees.describe(data).entrySet().stream().filter(e -> e.getValue().startsWith("f "))
                        .toList(),
                TestTrees.describe(whole.resolve("r")).entrySet().stream().filter(e -> e.getValue().startsWith("f "))
                        .toList(), "ARCHIVE:: arrives as a directory named after the archive");
        assertFalse(Files.exists(whole.resolve("r/empty")), "empty directories are not sent, as in the original");
    }

    @Test
    void archiveToArchiveCopiesWithTheSourcesMetadataAndComparesChecksumsWithC() throws IOException {
        Path data = source();
        Path a = sent(data, "a.barecat");
        Path b = tmp.resolve("b.barecat");
        Cli.Run r = Cli.run("rsync", "-n", a + "::sub2", b + "::in/");
        assertEquals("would copy: sub2/c.bin -> in/sub2/c.bin\nwould copy: sub2/deep/d.txt -> in/sub2/deep/d.txt\n"
                + "would copy: sub2/x.tmp -> in/sub2/x.tmp\n", r.out());
        assertFalse(Files.exists(b));
        r = Cli.run("rsync", "--progress", "--exclude", "*.tmp", a + "::sub2", b + "::in/");
        assertEquals(0, r.code(), r.err());
        assertEquals("copy: in/sub2/c.bin\ncopy: in/sub2/deep/d.txt\n", r.out(), "--progress prints the copies");
        assertEquals("c".repeat(3000), Cli.run("cat", b.toString(), "in/sub2/c.bin").out());
        assertTrue(Cli.run("ls", "-l", b.toString(), "in/sub2").out().contains("2020"), "the source's mtime");
        assertEquals(0, Cli.run("verify", "-q", b.toString()).code());

        assertEquals(0, Cli.run("rsync", data + "/sub2/", a + "::sub2").code());
        r = Cli.run("rsync", "-v", "-c", "--exclude", "*.tmp", a + "::sub2", b + "::in/");
        assertEquals("skip (checksum match): in/sub2/c.bin\nskip (checksum match): in/sub2/deep/d.txt\n", r.out());
        Files.writeString(data.resolve("sub2/c.bin"), "new bytes, old size".repeat(1));
        assertEquals(0, Cli.run("rsync", data + "/sub2/", a + "::sub2").code());
        r = Cli.run("rsync", "-v", "-c", "--delete", a + "::sub2", b + "::in/");
        assertEquals("update: in/sub2/c.bin\nskip (checksum match): in/sub2/deep/d.txt\ncopy: in/sub2/x.tmp\n",
                r.out());
        assertEquals("new bytes, old size", Cli.run("cat", b.toString(), "in/sub2/c.bin").out());
        assertEquals(0, Cli.run("verify", "-q", b.toString()).code());
    }

    @Test
    void badPathsAreOneLineErrors() throws IOException {
        Path data = source();
        Path archive = sent(data, "r.barecat");
        for (List<String> c : List.of(
                List.of("rsync", data.toString(), "barecat: rsync requires at least source and destination\n"),
                List.of("rsync", data.toString(), tmp.resolve("x").toString(),
                        "barecat: rsync: Use regular rsync for local-to-local directory sync\n"),
                List.of("rsync", archive + "::", archive + "::copy",
                        "barecat: rsync: " + archive + ": the source is the destination archive\n"),
                List.of("rsync", "host:/x/a.barecat::", "out",
                        "barecat: rsync: host:/x/a.barecat::: remote paths are not supported by this barecat\n"),
                List.of("rsync", archive + "::nope", "out", "barecat: " + archive + "::nope: not in the archive\n"),
                List.of("rsync", tmp.resolve("missing").toString(), archive + "::",
                        "barecat: " + tmp.resolve("missing") + ": no such file or directory\n"))) {
            Cli.Run r = Cli.run(c.subList(0, c.size() - 1).toArray(String[]::new));
            assertEquals(1, r.code(), String.valueOf(c));
            assertEquals(c.get(c.size() - 1), r.err());
        }
        Path odd = tmp.resolve("my::odd.barecat");
        assertEquals(0, Cli.run("rsync", data + "/", tmp.resolve("my\\::odd.barecat") + "::").code(), "\\:: is ::");
        assertEquals(0, Cli.run("verify", "-q", odd.toString()).code());
    }
}
