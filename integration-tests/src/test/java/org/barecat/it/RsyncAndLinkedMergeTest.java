package org.barecat.it;

import org.barecat.testing.ArchiveSnapshot;
import org.barecat.testing.IndependentWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code barecat rsync} both ways and {@code barecat merge --symlink}, through the launcher: what lands
 * in an archive is read back by the independent Python reader (shard bytes, CRC-32C) and compared
 * byte for byte with the source tree; what lands in a directory is compared with find and sha256sum;
 * verify passes; dry runs change nothing; the in-place writers refuse a mounted archive and an
 * archive whose shards are links.
 */
class RsyncAndLinkedMergeTest {
    @TempDir
    Path tmp;

    private static Path tree(Path root, long seed, int files) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < files; i++) {
            Path f = root.resolve(String.format("d%d/s%d/f%03d.bin", i % 4, i % 3, i));
            Files.createDirectories(f.getParent());
            Files.write(f, Trees.randomBytes(random, i == 7 ? 3 << 20 : random.nextInt(5000)));
            Files.setLastModifiedTime(f, FileTime.from(1_700_000_000_000_000_000L + i * 1_000_123L,
                    TimeUnit.NANOSECONDS));
        }
        Files.writeString(root.resolve(".hidden"), "hidden\n");
        return root;
    }

    /** What the independent reader should print for {@code root}'s files stored under {@code prefix}. */
    private static String expectedReading(Path root, String prefix) throws IOException {
        StringBuilder lines = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(p);
                lines.append(prefix).append(root.relativize(p)).append('\t').append(bytes.length).append('\t')
                        .append(sha256(bytes)).append('\n');
            }
        }
        return sorted(lines.toString());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The independent reader's lines, in the order of the strings (as the expected ones are). */
    private static String reading(Path archive) {
        return sorted(IndependentWriter.run("read", archive.toString()));
    }

    private static List<String> lines(Programs.Result r) {
        return r.out().lines().sorted().toList();
    }

    @Test
    void rsyncIntoAnArchiveAndBackMatchesTheSourceByteForByte() throws IOException {
        Path src = tree(Files.createDirectories(tmp.resolve("src")), 1, 60);
        Path archive = tmp.resolve("a.barecat");

        Programs.Result dry = Launchers.barecat("rsync", "-n", "--delete", src + "/", archive + "::").ok();
        assertEquals(61, dry.out().lines().filter(l -> l.startsWith("would add: ")).count(), dry.out());
        assertFalse(Files.exists(archive), "a dry run makes no archive");

        assertEquals("", Launchers.barecat("rsync", "--delete", src + "/", archive + "::").ok().out());
        Launchers.barecat("verify", archive.toString()).ok();
        assertEquals(expectedReading(src, ""), reading(archive));

        // change 3 files, delete 5, add 4; an excluded file is neither sent nor deleted
        for (int i : new int[] {1, 2, 3}) {
            Path f = src.resolve(String.format("d%d/s%d/f%03d.bin", i % 4, i % 3, i));
            Files.writeString(f, "changed " + i);
        }
        for (int i : new int[] {10, 11, 12, 13, 14}) {
            Files.delete(src.resolve(String.format("d%d/s%d/f%03d.bin", i % 4, i % 3, i)));
        }
        for (int i = 0; i < 4; i++) {
            Files.writeString(Files.createDirectories(src.resolve("new")).resolve("n" + i), "new " + i);
        }
        Files.writeString(src.resolve("new/skip.tmp"), "excluded");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        List<String> planned = lines(Launchers.barecat("rsync", "-n", "--delete", "--exclude", "*.tmp",
                src + "/", archive + "::").ok());
        List<String> expected = new java.util.ArrayList<>();
        for (int i : new int[] {1, 2, 3}) {
            expected.add(String.format("would update: d%d/s%d/f%03d.bin", i % 4, i % 3, i));
        }
        for (int i : new int[] {10, 11, 12, 13, 14}) {
            expected.add(String.format("would delete: d%d/s%d/f%03d.bin", i % 4, i % 3, i));
        }
        for (int i = 0; i < 4; i++) {
            expected.add("would add: new/n" + i);
        }
        assertEquals(expected.stream().sorted().toList(), planned);
        before.assertUnchanged();

        List<String> done = lines(Launchers.barecat("rsync", "-v", "--delete", "--exclude", "*.tmp",
                src + "/", archive + "::").ok());
        assertEquals(expected.stream().map(l -> l.substring("would ".length())).sorted().toList(),
                done.stream().filter(l -> !l.startsWith("skip (unchanged): ")).toList());
        Launchers.barecat("verify", archive.toString()).ok();
        Files.delete(src.resolve("new/skip.tmp"));
        assertEquals(expectedReading(src, ""), reading(archive));
        Programs.Result again = Launchers.barecat("rsync", "-n", "--delete", src + "/", archive + "::").ok();
        assertEquals("", again.out(), "in sync: nothing to do");

        // archive -> directory: contents mode, then an extraneous file deleted, the rest kept
        Path out = tmp.resolve("out");
        Launchers.barecat("rsync", "--delete", archive + "::/", out.toString()).ok();
        assertEquals(Trees.snapshot(src).replaceAll("(?m)^dir .*\\n", ""),
                Trees.snapshot(out).replaceAll("(?m)^dir .*\\n", ""), "bytes, sizes, modes and mtimes of every file");
        Files.writeString(out.resolve("d0/extra"), "not in the archive");
        assertEquals("would delete: " + out.resolve("d0/extra") + "\n",
                Launchers.barecat("rsync", "-n", "--delete", archive + "::/", out.toString()).ok().out());
        assertTrue(Files.exists(out.resolve("d0/extra")), "a dry run deletes nothing");
        Launchers.barecat("rsync", "--delete", archive + "::/", out.toString()).ok();
        assertFalse(Files.exists(out.resolve("d0/extra")));
        assertEquals(expectedReading(src, ""), expectedReading(out, ""));

        // not the contents: the inner directory arrives under its own name
        Launchers.barecat("rsync", archive + "::d1", tmp.resolve("one").toString()).ok();
        assertEquals(expectedReading(src.resolve("d1"), ""), expectedReading(tmp.resolve("one/d1"), ""));

        // archive -> archive: the same bytes, read back by the independent reader
        Path copy = tmp.resolve("copy.barecat");
        Launchers.barecat("rsync", "--delete", archive + "::d1", copy + "::").ok();
        Launchers.barecat("verify", copy.toString()).ok();
        assertEquals(expectedReading(src.resolve("d1"), "d1/"), reading(copy));
    }

    @Test
    void rsyncRefusesAMountedArchiveAndChangesNothing() throws IOException {
        Path src = tree(Files.createDirectories(tmp.resolve("src")), 2, 10);
        Path archive = tmp.resolve("m.barecat");
        Launchers.barecat("rsync", src + "/", archive + "::").ok();
        Files.writeString(src.resolve("more"), "more");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        try (Mount mount = Mount.of(archive)) {
            Programs.Result r = Launchers.barecat("rsync", "-v", "--delete", src + "/", archive + "::");
            assertEquals(1, r.exit());
            assertEquals("", r.out(), "no line for a change that was not made");
            assertEquals("barecat: " + archive + ": the archive is mounted or open in another program; unmount it"
                    + " (fusermount -u MOUNTPOINT) or close that program first\n", r.stderr());
            assertFalse(Files.exists(mount.path("more")));
        }
        before.assertUnchanged();
    }

    @Test
    void mergeSymlinkLinksTheShardsAndTheResultMountsByteExactButCannotBeWritten() throws IOException {
        Path one = tree(Files.createDirectories(tmp.resolve("one")), 3, 40);
        Path two = tree(Files.createDirectories(tmp.resolve("two")), 4, 20);
        Files.createDirectories(tmp.resolve("in"));
        Path a = Launchers.create(one, tmp.resolve("in/One.barecat"), "-s", "1M");
        Path b = Launchers.create(two, tmp.resolve("in/two.barecat"));
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("m.barecat");

        Programs.Result r = Launchers.barecat("merge", "-o", out.toString(), "--symlink", "--as-subdirs",
                a.toString(), b.toString()).ok();
        assertEquals("Merging files from " + a + " -> one/\nMerging files from " + b + " -> two/\n", r.out());
        List<String> links;
        try (Stream<Path> s = Files.list(out.getParent())) {
            links = s.filter(p -> p.getFileName().toString().contains("-shard-")).sorted()
                    .map(p -> p.getFileName() + " -> " + readLink(p)).toList();
        }
        long shardsOfA;
        try (Stream<Path> s = Files.list(a.getParent())) {
            shardsOfA = s.filter(p -> p.getFileName().toString().startsWith("One.barecat-shard-")).count();
        }
        assertTrue(shardsOfA > 1, "the first input has several shards");
        assertEquals(shardsOfA + 1, links.size(), String.valueOf(links));
        assertEquals("m.barecat-shard-00000 -> ../in/One.barecat-shard-00000", links.get(0));
        assertEquals(String.format("m.barecat-shard-%05d -> ../in/two.barecat-shard-00000", shardsOfA),
                links.get(links.size() - 1));

        Launchers.barecat("verify", out.toString()).ok();
        assertEquals(sorted(expectedReading(one, "one/") + expectedReading(two, "two/")), reading(out));
        try (Mount mount = Mount.of(out)) {
            assertEquals(expectedReading(one, ""), expectedReading(mount.path("one"), ""));
            assertEquals(expectedReading(two, ""), expectedReading(mount.path("two"), ""));
        }

        ArchiveSnapshot before = ArchiveSnapshot.of(out);
        String refused = "barecat: " + out + ": its shards are links to files it does not own (convert --wrap,"
                + " merge --symlink); it cannot be changed in place\n";
        Programs.Result add = Launchers.barecat("add", "-C", two.toString(), out.toString(), ".hidden");
        assertEquals(1, add.exit());
        assertEquals(refused, add.stderr());
        Programs.Result rsync = Launchers.barecat("rsync", two + "/", out + "::new/");
        assertEquals(1, rsync.exit());
        assertEquals(refused, rsync.stderr());
        before.assertUnchanged();
        Launchers.barecat("verify", a.toString()).ok();
    }

    private static String sorted(String lines) {
        return lines.lines().sorted().map(l -> l + "\n").collect(Collectors.joining());
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
