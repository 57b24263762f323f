package org.barecat.it;

import org.barecat.testing.Bytes;
import org.barecat.testing.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A new version published over a mounted archive (index and shard renamed over the old ones, as
 * {@code mv} and {@code rsync} do) while readers run: the mount goes on serving the version it
 * mounted, every byte of it, until it is remounted.
 */
class PublishWhileMountedTest {
    /** More files than the daemon keeps rows of (32,768) or warms up on: reads after the swap need the index. */
    private static final int DIRS = 4;
    private static final int PER_DIR = 10_000;
    private static final int READERS = 8;

    @TempDir
    Path tmp;

    /** File {@code i} of version {@code v}: the same names and sizes in both versions, other bytes. */
    private static byte[] content(int v, int i) {
        return Bytes.pattern(v * 101 + i * 13, 100 + i % 300);
    }

    private static String name(int i) {
        return "d" + i % DIRS + "/f" + i;
    }

    /** Version {@code v} of the tree, packed: the second version in the other order, so its rows point elsewhere. */
    private Path archive(String name, int v) throws IOException {
        Path source = tmp.resolve("src-" + v);
        for (int i = 0; i < DIRS * PER_DIR; i++) {
            Path file = source.resolve(name(i));
            Files.createDirectories(file.getParent());
            Files.write(file, content(v, i));
        }
        Path archive = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("create", "-C", source.toString(), archive.toString()));
        for (int d = 0; d < DIRS; d++) {
            args.add("d" + (v == 1 ? d : DIRS - 1 - d));
        }
        Launchers.barecat(args.toArray(String[]::new)).ok();
        return archive;
    }

    @Test
    void readersSeeTheMountedVersionAfterANewOneIsRenamedOverIt() throws Exception {
        Path live = archive("data.barecat", 1);
        archive("next.barecat", 2);
        try (Mount mount = Mount.of(live)) {
            assertEquals(0, wrongReads(mount, 1, 0, 200), "before: one reader");
            Programs.sh(tmp, "mv next.barecat data.barecat && mv next.barecat-shard-00000 data.barecat-shard-00000").ok();
            assertEquals(0, wrongReads(mount, 1, READERS, DIRS * PER_DIR), "after: every file, several readers at once");
        }
        try (Mount mount = Mount.of(live)) {
            assertEquals(0, wrongReads(mount, 2, 0, 200), "mounted again: the new version");
            Programs.sh(tmp, "rm data.barecat data.barecat-shard-00000").ok();
            assertEquals(0, wrongReads(mount, 2, READERS, DIRS * PER_DIR), "deleted");
        }
    }

    @Test
    void readersSeeTheMountedVersionAfterItIsDeletedAndTheKernelForgotWhatItCached() throws Exception {
        Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
        assumeTrue(Files.isWritable(dropCaches), "root, to have the kernel drop its caches");
        Path live = archive("data.barecat", 1);
        try (Mount mount = Mount.of(live)) {
            assertEquals(0, wrongReads(mount, 1, 0, 200));
            Programs.sh(tmp, "rm data.barecat data.barecat-shard-00000").ok();
            Files.writeString(dropCaches, "3");
            assertEquals(0, wrongReads(mount, 1, READERS, DIRS * PER_DIR), "deleted, and the kernel's caches dropped");
        }
    }

    /**
     * Reads files {@code 0..count}, each once, through the mount on {@code threads} threads at once (0: one),
     * expecting version {@code v}; how many were wrong or failed.
     */
    private static int wrongReads(Mount mount, int v, int threads, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        return Threads.sum(Math.max(1, threads), t -> {
            int wrong = 0;
            for (int k = next.getAndIncrement(); k < count; k = next.getAndIncrement()) {
                int i = (int) (k * 7919L % count); // all of them, in a scattered order
                try {
                    if (!Arrays.equals(Files.readAllBytes(mount.path(name(i))), content(v, i))) {
                        wrong++;
                    }
                } catch (IOException e) {
                    wrong++;
                }
            }
            return wrong;
        });
    }
}
