package org.barecat.cli;

import org.barecat.testing.TreeBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Small directory trees on disk for tests, and ways to compare them. */
final class TestTrees {
    private TestTrees() {
    }

    static Path file(Path root, String rel, String content, int mode, long mtimeNs) throws IOException {
        TreeBuilder.directory(root).file(rel, content).mode(mode).mtimeNs(mtimeNs).build();
        return root.resolve(rel);
    }

    /** A sample tree: nested directories, an empty directory, odd names, a symbolic link. */
    static Path sample(Path root) throws IOException {
        return TreeBuilder.directory(root)
                .file("a/b/hello.txt", "hello\n").mode(0640).mtimeNs(1_600_000_000_123_456_789L)
                .file("a/big.bin", "x".repeat(100_000)).mode(0600).mtimeNs(1_600_000_001_000_000_000L)
                .file("top.txt", "top\n").mode(0644).mtimeNs(1_600_000_002_000_000_000L)
                .file("odd names/sp ace & 'q' %#.txt", "odd\n").mode(0755).mtimeNs(1_600_000_003_000_000_000L)
                .file("odd names/ünï/ファイル", "uni\n").mode(0644).mtimeNs(1_600_000_004_000_000_000L)
                .dir("empty").mode(0700)
                .symlink("a/link", "big.bin")
                .build();
    }

    /**
     * The {@link #sample} tree under {@code dir}/src, of which barecat create packs {@code paths} (the whole tree
     * when none are named) as {@code dir}/s.barecat; that archive.
     */
    static Path sampleArchive(Path dir, String... paths) throws IOException {
        Path src = sample(dir.resolve("src"));
        Path archive = dir.resolve("s.barecat");
        List<String> create = new ArrayList<>(List.of("create", "-q", "-C", src.toString(), archive.toString()));
        create.addAll(paths.length == 0 ? List.of(".") : List.of(paths));
        Cli.Run r = Cli.run(create.toArray(String[]::new));
        if (r.code() != 0) {
            throw new AssertionError("barecat create: " + r.err());
        }
        return archive;
    }

    /** Every regular file and directory under {@code root}: relative path to a line of type, mode, mtime, sha256. */
    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root) || Files.isSymbolicLink(p)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                String line = (dir ? "d " : "f ") + Integer.toOctalString((Integer) a.get("mode") & 07777) + " "
                        + (dir ? "" : ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS) + " " + sha256(p));
                out.put(root.relativize(p).toString(), line);
            }
        }
        return out;
    }

    static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a program; returns its stdout, failing the test when it exits non-zero. */
    static String exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + code + ": " + out);
        }
        return out;
    }

    static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }
}
