package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several archives in one mount: merged as copying their sources one over another would merge them
 * ({@code cp -a} in the order named), each under its own name with {@code -o subdirs}, or refused
 * with {@code -o conflicts=error} when two have a file at the same path.
 */
class UnionMountTest {
    @TempDir
    Path tmp;

    private final List<Path> sources = new ArrayList<>();
    private final List<Path> archives = new ArrayList<>();

    /** Three sources whose directories overlap; shared/clash.txt is in the first and the last. */
    @BeforeEach
    void buildThreeArchives() throws IOException {
        String[][] trees = {
                {"shared/clash.txt", "first", "shared/deep/one.txt", "1", "only-first/a.bin", "a"},
                {"shared/two.txt", "2", "shared/deep/two.txt", "22", "only-second/b/c.txt", "c"},
                {"shared/clash.txt", "third wins", "shared/three.txt", "333", "empty-dir/", ""},
        };
        for (int i = 0; i < trees.length; i++) {
            Path source = Files.createDirectory(tmp.resolve("src" + i));
            for (int k = 0; k < trees[i].length; k += 2) {
                Path p = source.resolve(trees[i][k]);
                if (trees[i][k].endsWith("/")) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                Files.writeString(p, trees[i][k + 1] + "\n".repeat(1000 * (k + 1)));
            }
            // directory mtimes differ from one source to the next, so whose attributes a merged directory shows is seen
            try (var paths = Files.walk(source)) {
                for (Path p : paths.toList()) {
                    Files.setLastModifiedTime(p, FileTime.from(Instant.ofEpochSecond(1_600_000_000L + i * 1000L)));
                }
            }
            sources.add(source);
            archives.add(Launchers.create(source, tmp.resolve("part" + i + ".barecat"), "-s", "4K"));
        }
    }

    @Test
    void showsTheUnionTheLastArchiveWinningAPath() throws IOException {
        Path expected = Files.createDirectory(tmp.resolve("expected"));
        for (Path source : sources) {
            Programs.run("cp", "-a", source + "/.", expected.toString()).ok();
        }
        try (Mount mount = Mount.ofAll(archives)) {
            assertEquals(Trees.snapshot(expected), Trees.snapshot(mount.point), "find/stat/sha256sum through the mount");
            // ls -lR without link counts (a merged directory's is its last archive's), block totals and directory sizes
            String ls = "ls -lR --time-style=+%s . | awk '/^total/ {next} NF >= 7 {if ($1 ~ /^d/) $5 = \"\"; $2 = \"\"} {print}'";
            assertEquals(Programs.sh(expected, ls).ok().out(), Programs.sh(mount.point, ls).ok().out());
            assertTrue(Programs.run("cat", mount.path("shared/clash.txt").toString()).ok().out().startsWith("third wins"));
            Programs.run("diff", "-r", expected.toString(), mount.point.toString()).ok();
            String xattrs = Programs.run("getfattr", "-d", "-m", "user.barecat", "--absolute-names",
                    mount.path("shared/two.txt").toString()).ok().out();
            assertTrue(xattrs.contains("user.barecat.archive=\"" + archives.get(1) + "\""), xattrs);

            long entries = 0;
            long shardBytes = 0;
            for (int i = 0; i < sources.size(); i++) {
                entries += Long.parseLong(Programs.sh(sources.get(i), "find . | wc -l").ok().out().trim());
                try (var shards = Files.list(tmp)) {
                    String prefix = "part" + i + ".barecat-shard-";
                    for (Path s : shards.filter(s -> s.getFileName().toString().startsWith(prefix)).toList()) {
                        shardBytes += Files.size(s);
                    }
                }
            }
            String[] df = Programs.run("df", "-B1", "--output=size,itotal,iused", mount.point.toString()).ok().out()
                    .lines().skip(1).findFirst().orElseThrow().trim().split(" +");
            assertEquals(List.of(Long.toString((shardBytes + 4095) / 4096 * 4096), Long.toString(entries),
                    Long.toString(entries)), List.of(df));
        }
    }

    /** -o verify: a byte changed in the second archive's first shard fails the read of that archive's file there, only. */
    @Test
    void verifyChecksTheFilesOfEveryArchive() throws IOException {
        Path shard = tmp.resolve("part1.barecat-shard-00000");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[0] ^= 1;
        Files.write(shard, bytes);
        try (Mount mount = Mount.ofAll(archives, "-o", "verify")) {
            String failed = Programs.sh(mount.point, "find . -type f | LC_ALL=C sort | while read -r f; do"
                    + " cat \"$f\" > /dev/null 2>&1 || echo \"$f\"; done").ok().out();
            assertEquals(1, failed.lines().count(), failed);
            assertTrue(List.of("./shared/two.txt\n", "./shared/deep/two.txt\n", "./only-second/b/c.txt\n")
                    .contains(failed), failed);
        }
    }

    /** barecat serve of the three archives serves the union too; --conflicts=error refuses them in one line. */
    @Test
    void serveServesTheSameUnion() throws Exception {
        List<String> command = new ArrayList<>(List.of(Launchers.bin("barecat").toString(), "serve"));
        archives.forEach(a -> command.add(a.toString()));
        command.addAll(List.of("--port", "0"));
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertTrue(line != null && line.contains(" at http://127.0.0.1:"), line);
            String base = line.substring(line.indexOf(" at ") + 4);
            for (String rel : List.of("shared/clash.txt", "only-second/b/c.txt", "shared/deep/one.txt")) {
                Path got = tmp.resolve("got");
                Programs.run("wget", "-q", "-O", got.toString(), base + "files/" + rel).ok();
                Path from = Files.exists(sources.get(2).resolve(rel)) ? sources.get(2).resolve(rel)
                        : Files.exists(sources.get(1).resolve(rel)) ? sources.get(1).resolve(rel) : sources.get(0).resolve(rel);
                assertEquals(Files.readString(from), Files.readString(got), rel);
            }
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        }
        List<String> args = new ArrayList<>(List.of("serve"));
        archives.forEach(a -> args.add(a.toString()));
        args.addAll(List.of("--port", "0", "--conflicts", "error"));
        Programs.Result r = Launchers.barecat(args.toArray(String[]::new));
        assertEquals(1, r.exit(), r.stderr());
        assertEquals(List.of("barecat: shared/clash.txt: in " + archives.get(0) + " and " + archives.get(2)
                + " (--conflicts=error)"), r.stderr().lines().toList());
    }

    @Test
    void showsEachArchiveUnderItsOwnNameWithSubdirs() throws IOException {
        Path expected = Files.createDirectory(tmp.resolve("expected"));
        for (int i = 0; i < sources.size(); i++) {
            Programs.run("cp", "-a", sources.get(i).toString(), expected.resolve("part" + i).toString()).ok();
        }
        try (Mount mount = Mount.ofAll(archives, "-o", "subdirs")) {
            String want = Trees.snapshot(expected).lines()
                    .filter(l -> !l.matches("dir .* \\./part[0-9]$")).reduce("", (a, b) -> a + b + "\n");
            String got = Trees.snapshot(mount.point).lines()
                    .filter(l -> !l.matches("dir .* \\./part[0-9]$")).reduce("", (a, b) -> a + b + "\n");
            assertEquals(want, got, "the archives' roots aside (their attributes are the mount's), every entry");
            assertEquals("part0\npart1\npart2\n", Programs.run("ls", mount.point.toString()).ok().out());
        }
    }

    @Test
    void refusesArchivesThatShareAFileWithConflictsError() throws IOException {
        Path point = Files.createTempDirectory("barecat-mnt-");
        try {
            List<String> args = new ArrayList<>(archives.stream().map(Path::toString).toList());
            args.addAll(List.of(point.toString(), "-o", "conflicts=error"));
            Programs.Result r = Launchers.mountCommand(Map.of(), args.toArray(String[]::new));
            assertEquals(1, r.exit(), r.stderr());
            assertEquals(List.of("barecat-mount: shared/clash.txt: in " + archives.get(0) + " and " + archives.get(2)
                    + " (-o conflicts=error)"), r.stderr().lines().toList());
            assertFalse(MountExtension.isMounted(point));
            try (var left = Files.list(point)) {
                assertEquals(0, left.count());
            }
        } finally {
            MountExtension.unmount(point);
            Files.deleteIfExists(point);
        }
        // without the clash, the same option mounts
        try (Mount mount = Mount.ofAll(archives.subList(0, 2), "-o", "conflicts=error")) {
            assertEquals("1" + "\n".repeat(3000), Files.readString(mount.path("shared/deep/one.txt"),
                    StandardCharsets.UTF_8));
        }
    }
}
