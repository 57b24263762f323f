package org.barecat.it;

import org.barecat.cli.DemoImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The programs people point at a dataset, run against the mount and against the directory the
 * archive was made from, give the same answers. One archive (awkward names, modes, nanosecond
 * mtimes, JPEGs, text) is mounted once for the whole class.
 */
class EverydayToolsTest {
    /** The mount's directories have st_size 4096, whatever the source's directories have. */
    private static final long DIR_SIZE = 4096;

    @TempDir
    static Path tmp;
    static Path source;
    static Path archive;
    static Mount mount;

    @BeforeAll
    static void archiveAndMount() throws IOException {
        source = Files.createDirectory(tmp.resolve("source"));
        DemoImages.generate(source.resolve("images"), 4, 64);
        Path text = Files.createDirectories(source.resolve("text/notes"));
        for (int i = 0; i < 6; i++) {
            StringBuilder lines = new StringBuilder();
            for (int j = 0; j < 50; j++) {
                lines.append(j % (i + 3) == 0 ? "line " + j + " has the needle in it\n" : "line " + j + " is hay\n");
            }
            Files.writeString((i % 2 == 0 ? text : text.getParent()).resolve("notes-" + i + ".txt"), lines);
        }
        Trees.buildAwkwardTree(source); // last: it also gives every entry its nanosecond mtime
        archive = tmp.resolve("tools.barecat");
        Launchers.create(source, archive);
        mount = Mount.of(archive);
    }

    @AfterAll
    static void unmount() {
        if (mount != null) {
            mount.close();
        }
    }

    /** Runs a bash script in the source tree and in the mount; both must succeed. */
    private static void assertSameOutput(String script) {
        String expected = Programs.sh(source, script).ok().out();
        assertTrue(expected.lines().count() > 1, "the command finds something: " + expected);
        assertEquals(expected, Programs.sh(mount.point, script).ok().out(), script);
    }

    private static long count(String script, Path cwd) {
        return Long.parseLong(Programs.sh(cwd, script).ok().out().trim());
    }

    @Test
    void lsLongRecursiveListsTheSameEntries() {
        // Ignored as not comparable: "total" block counts (the mount shows sizes in 512-byte units,
        // the source its allocated blocks) and directory sizes (4096 on the mount).
        assertSameOutput("ls -lRn --time-style=+%s.%N . | tr -s ' ' | sed -E '/^total [0-9]+$/d; s/^(d[^ ]* [0-9]+ [0-9]+ [0-9]+) [0-9]+/\\1 DIR/'");
    }

    @Test
    void findTypeFSizeSelectsTheSameFiles() {
        assertSameOutput("{ find . -type f -size +8k -printf 'big %s %p\\n'; find . -type f -size -2k -printf 'small %s %p\\n';"
                + " find . -empty -printf 'empty %y %p\\n'; find . -type f -newermt @1601000000 -printf 'new %p\\n'; } | LC_ALL=C sort");
    }

    /**
     * du -sb (apparent sizes) counts every file's bytes as the source does; what it adds for
     * directories differs (4096 each on the mount, the source's own directory sizes there), so the
     * total must be the sum of the source's file sizes plus 4096 per directory. du --inodes counts
     * the same entries on both.
     */
    @Test
    void duCountsTheSourcesFileBytesAndEntries() {
        long fileBytes = count("find . -type f -printf '%s\\n' | awk '{ s += $1 } END { print s }'", source);
        long dirs = count("find . -type d | wc -l", source);
        assertTrue(fileBytes > 3_000_000 && dirs > 10, fileBytes + " bytes in " + dirs + " directories");
        assertEquals(fileBytes + DIR_SIZE * dirs, count("du -sb . | cut -f1", mount.point));
        assertEquals(count("du -s --inodes . | cut -f1", source), count("du -s --inodes . | cut -f1", mount.point));
    }

    /** df: the archive as the source, the shards' size (in 4 KiB blocks) as size and used, one inode per entry. */
    @Test
    void dfShowsTheArchiveSizeAndEntryCount() throws IOException {
        long shardBytes = Files.size(tmp.resolve("tools.barecat-shard-00000"));
        long entries = count("find . | wc -l", source);
        String[] df = Programs.run("df", "-B1", "--output=source,fstype,size,used,avail,itotal,iused,iavail,target",
                mount.point.toString()).ok().out().lines().skip(1).findFirst().orElseThrow().trim().split(" +");
        long blocks = (shardBytes + 4095) / 4096 * 4096;
        assertEquals(List.of(archive.toString(), "fuse.barecat", Long.toString(blocks), Long.toString(blocks), "0",
                Long.toString(entries), Long.toString(entries), "0", mount.point.toString()), List.of(df));
    }

    @Test
    void statShowsTheSourcesMetadata() {
        assertSameOutput("{ find . -type f -exec stat -c '%n|%F|%a|%u|%g|%h|%s|%y' {} +;"
                + " find . -type d -exec stat -c '%n|%F|%a|%u|%g|%h|%y' {} +; } | LC_ALL=C sort");
    }

    @Test
    void sha256sumChecksEveryFileAgainstTheSourcesSums() throws IOException {
        String sums = "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum";
        assertSameOutput(sums);
        Path list = tmp.resolve("SHA256SUMS");
        Files.write(list, Programs.sh(source, sums).ok().stdout());
        Programs.sh(mount.point, "sha256sum --strict --quiet -c \"$1\"", list.toString()).ok();
    }

    @Test
    void cpArchiveCopiesAnIdenticalTree() {
        Path copy = tmp.resolve("cp-copy");
        Programs.run("cp", "-a", mount.point + "/.", copy.toString()).ok();
        assertEquals(Trees.snapshot(source), Trees.snapshot(copy));
    }

    @Test
    void rsyncArchiveCopiesAnIdenticalTreeAndASecondRunTransfersNothing() {
        Path copy = tmp.resolve("rsync-copy");
        String first = Programs.run("rsync", "-a", "--stats", mount.point + "/", copy + "/").ok().out();
        assertTrue(first.contains("Number of regular files transferred: " + count("find . -type f | wc -l", source)), first);
        assertEquals(Trees.snapshot(source), Trees.snapshot(copy));
        String second = Programs.run("rsync", "-a", "--itemize-changes", "--stats", mount.point + "/", copy + "/").ok().out();
        assertTrue(second.contains("Number of regular files transferred: 0\n"), second);
        assertTrue(second.contains("Total transferred file size: 0 bytes\n"), second);
        assertEquals("", second.substring(0, second.indexOf("\nNumber of files:")).strip(), "nothing itemized");
    }

    /** A POSIX (pax) tar keeps nanosecond mtimes, so the extracted tree equals the source exactly. */
    @Test
    void tarOfTheMountExtractsToAnIdenticalTree() throws IOException {
        Path tar = tmp.resolve("tree.tar");
        Programs.run("tar", "--format=posix", "-C", mount.point.toString(), "-cf", tar.toString(), ".").ok();
        Path extracted = Files.createDirectory(tmp.resolve("untarred"));
        Programs.run("tar", "-C", extracted.toString(), "-xpf", tar.toString()).ok();
        assertEquals(Trees.snapshot(source), Trees.snapshot(extracted));
    }

    @Test
    void grepRecursiveFindsTheSameLines() {
        assertSameOutput("grep -rn needle . | LC_ALL=C sort; grep -rlZ 'needle in' . | LC_ALL=C sort -z | xargs -0 wc -l");
    }

    @Test
    void pythonWalkScandirAndOpenSeeTheSourceTree() {
        String expected = Programs.python("python_views.py", "walk", source.toString()).ok().out();
        assertTrue(expected.contains("file 名前/子供/emoji🐱.dat ") && expected.contains("dir empty dir "), expected);
        assertEquals(expected, Programs.python("python_views.py", "walk", mount.point.toString()).ok().out());
    }

    @Test
    void pilOpensEveryImageAsFromTheSource() {
        String expected = Programs.python("python_views.py", "pil", source.toString()).ok().out();
        assertEquals(4 * DemoImages.CLASSES.size(), expected.lines().filter(l -> l.contains(" JPEG RGB (64, 64) ")).count(),
                expected);
        assertEquals(expected, Programs.python("python_views.py", "pil", mount.point.toString()).ok().out());
    }

    /**
     * getfattr -R -d -m user.barecat: every file's crc32c is the CRC-32C of the source file and its
     * shard and offset point at its bytes in the shard; every directory's num_files_tree and
     * size_tree count the source subtree.
     */
    @Test
    void getfattrShowsEveryFilesChecksumAndLocationAndEveryDirectorysTotals() throws IOException {
        Map<String, Map<String, String>> attributes = getfattr(
                Programs.run(mount.point, Map.of(), List.of("getfattr", "-R", "-d", "-m", "user.barecat", ".")).ok().out());
        Map<String, Map<String, String>> expected = new TreeMap<>();
        Map<String, long[]> totals = new HashMap<>();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(source)) {
            entries = walk.collect(Collectors.toList());
        }
        for (Path p : entries) {
            String name = getfattrName(p);
            if (Files.isDirectory(p)) {
                totals.put(name, new long[2]);
                continue;
            }
            byte[] bytes = Files.readAllBytes(p);
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            expected.put(name, Map.of("user.barecat.crc32c", String.format("%08x", crc.getValue())));
            for (Path dir = p.getParent(); dir.startsWith(source); dir = dir.getParent()) {
                long[] t = totals.computeIfAbsent(getfattrName(dir), k -> new long[2]);
                t[0]++;
                t[1] += bytes.length;
            }
            Map<String, String> actual = attributes.getOrDefault(name, Map.of());
            assertArrayEquals(bytes, shardBytes(actual.get("user.barecat.shard"), actual.get("user.barecat.offset"),
                    bytes.length), name + ": shard and offset");
        }
        totals.forEach((dir, t) -> expected.put(dir, Map.of("user.barecat.num_files_tree", Long.toString(t[0]),
                "user.barecat.size_tree", Long.toString(t[1]))));
        Map<String, Map<String, String>> actualWithoutLocations = new TreeMap<>();
        attributes.forEach((name, attrs) -> actualWithoutLocations.put(name, attrs.entrySet().stream()
                .filter(e -> !e.getKey().equals("user.barecat.shard") && !e.getKey().equals("user.barecat.offset"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        assertEquals(expected, actualWithoutLocations);
    }

    /** How getfattr -R run on "." names a path of the source tree. */
    private static String getfattrName(Path p) {
        return p.equals(source) ? "." : source.relativize(p).toString();
    }

    private static byte[] shardBytes(String shard, String offset, int size) throws IOException {
        if (shard == null || offset == null) {
            return null;
        }
        Path shardFile = tmp.resolve(String.format("tools.barecat-shard-%05d", Integer.parseInt(shard)));
        try (RandomAccessFile f = new RandomAccessFile(shardFile.toFile(), "r")) {
            byte[] bytes = new byte[size];
            f.seek(Long.parseLong(offset));
            f.readFully(bytes);
            return bytes;
        }
    }

    /** Parses getfattr -d output: "# file: NAME" then name="value" lines, names octal-escaped. */
    private static Map<String, Map<String, String>> getfattr(String output) {
        Map<String, Map<String, String>> byFile = new TreeMap<>();
        Map<String, String> current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("# file: ")) {
                current = new TreeMap<>();
                byFile.put(unescapeOctal(line.substring("# file: ".length())), current);
            } else if (!line.isEmpty() && current != null) {
                int eq = line.indexOf('=');
                current.put(line.substring(0, eq), line.substring(eq + 2, line.length() - 1));
            }
        }
        return byFile;
    }

    /** getfattr writes bytes outside printable ASCII, and backslash, as a backslash and three octal digits. */
    private static String unescapeOctal(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 3 < raw.length && Character.isDigit(raw[i + 1])) {
                out.write(Integer.parseInt(new String(raw, i + 1, 3, StandardCharsets.US_ASCII), 8));
                i += 3;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
