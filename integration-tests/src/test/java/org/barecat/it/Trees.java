package org.barecat.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Source trees for mount tests, and a snapshot of a tree made with real programs. */
final class Trees {
    private Trees() {
    }

    /** A name of exactly 255 bytes of UTF-8, mixing 2-byte and 1-byte characters. */
    static final String LONG_NAME = "é".repeat(100) + "n".repeat(55);

    /**
     * A tree with nested and empty directories, empty files, awkward names, several modes and
     * nanosecond mtimes, and one file of a few megabytes.
     */
    static void buildAwkwardTree(Path root) throws IOException {
        Random random = new Random(42);
        String[] names = {"with space.txt", "quote'single", "dq\"double", "hash#tag", "pct%20sign", "-leading-dash",
                "日本語のファイル.txt", "Ελληνικά", "кириллица.bin", "emoji🐱.dat", LONG_NAME, "x".repeat(255)};
        Files.createDirectories(root.resolve("nested/a/b/c/d/e/f/g"));
        Files.createDirectories(root.resolve("empty dir"));
        Files.createDirectories(root.resolve("private"));
        Files.createDirectories(root.resolve("名前/子供"));
        for (String name : names) {
            Files.write(root.resolve(name), randomBytes(random, random.nextInt(3000)));
            Files.write(root.resolve("名前/子供").resolve(name), randomBytes(random, random.nextInt(100)));
        }
        Files.write(root.resolve("nested/a/b/c/d/e/f/g/deep.bin"), randomBytes(random, 12345));
        Files.write(root.resolve("nested/empty-file"), new byte[0]);
        Files.write(root.resolve("empty"), new byte[0]);
        Files.write(root.resolve("big.bin"), randomBytes(random, 3 * 1024 * 1024 + 17));
        for (int i = 0; i < 40; i++) {
            Files.write(root.resolve("nested/a/small-" + i), randomBytes(random, random.nextInt(20_000)));
        }
        Files.write(root.resolve("private/secret"), randomBytes(random, 100));
        Programs.sh(root, """
                chmod 0600 private/secret; chmod 0700 private; chmod 0755 big.bin; chmod 0444 empty
                chmod 0750 'empty dir'
                i=0
                find . -depth -mindepth 1 -print0 | while IFS= read -r -d '' p; do
                  i=$((i+1)); touch -h -d "@$((1600000000 + i * 86400)).$(printf '%09d' $((i * 7919 % 1000000000)))" "$p"
                done
                touch -d @1700000000.5 .
                """).ok();
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
