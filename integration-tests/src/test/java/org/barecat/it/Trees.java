package org.barecat.it;

import org.barecat.testing.TreeBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Source trees for mount tests, and a snapshot of a tree made with real programs. */
final class Trees {
    private Trees() {
    }

    /** A name of exactly 255 bytes of UTF-8, mixing 2-byte and 1-byte characters. */
    static final String LONG_NAME = "é".repeat(100) + "n".repeat(55);

    /**
     * A tree with nested and empty directories, empty files, awkward names, several modes and
     * nanosecond mtimes (each entry its own), and one file of a few megabytes, below {@code root}
     * (made if need be), which it returns.
     */
    static Path buildAwkwardTree(Path root) throws IOException {
        Random random = new Random(42);
        String[] names = {"with space.txt", "quote'single", "dq\"double", "hash#tag", "pct%20sign", "-leading-dash",
                "日本語のファイル.txt", "Ελληνικά", "кириллица.bin", "emoji🐱.dat", LONG_NAME, "x".repeat(255)};
        int[] entry = {0};
        try (TreeBuilder b = TreeBuilder.directory(root)) {
            Runnable stamp = () -> {
                int i = ++entry[0];
                b.mtimeNs((1_600_000_000L + i * 86_400L) * 1_000_000_000L + i * 7919L % 1_000_000_000L);
            };
            for (String name : names) {
                b.file(name, randomBytes(random, random.nextInt(3000)));
                stamp.run();
                b.file("名前/子供/" + name, randomBytes(random, random.nextInt(100)));
                stamp.run();
            }
            b.file("nested/a/b/c/d/e/f/g/deep.bin", randomBytes(random, 12345));
            stamp.run();
            b.file("nested/empty-file", new byte[0]);
            stamp.run();
            b.file("empty", new byte[0]).mode(0444);
            stamp.run();
            b.file("big.bin", randomBytes(random, 3 * 1024 * 1024 + 17)).mode(0755);
            stamp.run();
            for (int i = 0; i < 40; i++) {
                b.file("nested/a/small-" + i, randomBytes(random, random.nextInt(20_000)));
                stamp.run();
            }
            b.file("private/secret", randomBytes(random, 100)).mode(0600);
            stamp.run();
            for (String dir : List.of("nested", "nested/a", "nested/a/b", "nested/a/b/c", "nested/a/b/c/d",
                    "nested/a/b/c/d/e", "nested/a/b/c/d/e/f", "nested/a/b/c/d/e/f/g", "名前", "名前/子供")) {
                b.dir(dir);
                stamp.run();
            }
            b.dir("empty dir").mode(0750);
            stamp.run();
            b.dir("private").mode(0700);
            stamp.run();
            b.dir("").mtimeNs(1_700_000_000_500_000_000L);
        }
        return root;
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * What find, stat and sha256sum say about a tree: every entry's type, permissions, owner,
     * nanosecond mtime and (for files) size, then every file's SHA-256.
     */
    static String snapshot(Path root) {
        String listing = Programs.sh(root, """
                { find . -mindepth 1 -type d -printf 'dir  %m %U:%G %T@ %p\\n'
                  find . -type f -printf 'file %m %U:%G %T@ %s %p\\n'
                  find . -mindepth 1 ! -type f ! -type d -printf 'other %y %p\\n'; } | LC_ALL=C sort
                find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
                """).ok().out();
        return new String(listing.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
