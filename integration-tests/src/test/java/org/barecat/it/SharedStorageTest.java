package org.barecat.it;

import org.barecat.testing.IndependentWriter;
import org.barecat.testing.MountExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One archive on shared storage, as the nodes of a cluster use it: read-only media, several mounts
 * of the same archive at once, files larger than 4 GiB.
 */
class SharedStorageTest {
    @TempDir
    Path tmp;

    /**
     * The archive sits in a squashfs image mounted with squashfuse, where every write fails, as on a
     * read-only NFS export: two mounts of it at once (two nodes) both show the source tree, read in
     * parallel. Mounting at all proves nothing needs writing beside the archive (no lock, journal,
     * -wal or -shm file).
     */
    @Test
    void twoMountsAtOnceReadAnArchiveOnReadOnlySquashfsStorage() throws Exception {
        Path source = Files.createDirectory(tmp.resolve("source"));
        Trees.buildAwkwardTree(source);
        Path staging = Files.createDirectory(tmp.resolve("staging"));
        Launchers.create(source, staging.resolve("a.barecat"), "-s", "256K");
        assertTrue(Files.exists(staging.resolve("a.barecat-shard-00002")), "several shards");
        Path image = tmp.resolve("storage.sqfs");
        Programs.run("mksquashfs", staging.toString(), image.toString(), "-quiet", "-noappend", "-no-progress").ok();
        Path storage = Files.createDirectory(tmp.resolve("storage"));
        Programs.run("squashfuse", image.toString(), storage.toString()).ok();
        try {
            Programs.Result write = Programs.run("touch", storage.resolve("probe").toString());
            assertNotEquals(0, write.exit());
            assertTrue(write.stderr().contains("Read-only file system"), write.stderr());

            String expected = Trees.snapshot(source);
            Path archive = storage.resolve("a.barecat");
            try (Mount node1 = Mount.of(archive); Mount node2 = Mount.of(archive)) {
                assertNotEquals(node1.daemon().orElseThrow().pid(), node2.daemon().orElseThrow().pid());
                CompletableFuture<String> read1 = CompletableFuture.supplyAsync(() -> Trees.snapshot(node1.point));
                CompletableFuture<String> read2 = CompletableFuture.supplyAsync(() -> Trees.snapshot(node2.point));
                assertEquals(expected, read1.get(), "first mount");
                assertEquals(expected, read2.get(), "second mount");
            }
        } finally {
            MountExtension.unmount(storage);
        }
    }

    private static final long BIG_SIZE = (5L << 30) + 123;
    private static final long BIG_OFFSET_IN_SHARD = 1003; // as independent_writer.py large lays it out
    private static final long[] PROBES = {0, (1L << 31) - 16, 1L << 31, (1L << 32) - 16, 1L << 32, BIG_SIZE - 16};
    private static final String AFTER = "the last file, past 2^32 in its shard\n".repeat(20);

    /** The 16 ASCII bytes independent_writer.py large writes at probe offset {@code p}. */
    private static byte[] tag(long p) {
        return String.format("<%014d>", p).getBytes(StandardCharsets.US_ASCII);
    }

    /** What bytes {@code from} (inclusive) to {@code to} of the big file must be: zeros and the tags. */
    private static byte[] expectedBytes(long from, long to) {
        byte[] expected = new byte[(int) (to - from)];
        for (long p : PROBES) {
            byte[] tag = tag(p);
            for (int i = 0; i < tag.length; i++) {
                if (p + i >= from && p + i < to) {
                    expected[(int) (p + i - from)] = tag[i];
                }
            }
        }
        return expected;
    }

    /**
     * A 5 GiB file in a sparse shard (index rows written by a stdlib-only Python program) reads the
     * right bytes in 128 KiB windows around 2^31 and 2^32 (where 32-bit offsets overflow) and at its
     * end; the file after it, at a shard offset past 2^32, reads whole.
     */
    @Test
    void readsAFileLargerThan4GiBAroundOffsets2To31And2To32() throws IOException {
        Path archive = tmp.resolve("large.barecat");
        List<String> args = new ArrayList<>(List.of("large", archive.toString(), Long.toString(BIG_SIZE)));
        LongStream.of(PROBES).mapToObj(Long::toString).forEach(args::add);
        IndependentWriter.run(args.toArray(String[]::new));

        try (Mount mount = Mount.of(archive)) {
            Path big = mount.path("big/huge.bin");
            assertEquals(BIG_SIZE, Files.size(big));
            try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "r")) {
                for (long p : PROBES) {
                    long from = Math.max(0, p - 65_536);
                    long to = Math.min(BIG_SIZE, p + 65_536);
                    byte[] actual = new byte[(int) (to - from)];
                    file.seek(from);
                    file.readFully(actual);
                    assertArrayEquals(expectedBytes(from, to), actual, "bytes " + from + " to " + to);
                }
                file.seek(BIG_SIZE);
                assertEquals(-1, file.read(), "end of file");
            }
            assertEquals(new String(tag(BIG_SIZE - 16), StandardCharsets.US_ASCII),
                    Programs.run("tail", "-c", "16", big.toString()).ok().out());
            Path after = mount.path("small/after.txt");
            assertEquals(AFTER, Files.readString(after));
            assertEquals(Long.toString(BIG_OFFSET_IN_SHARD + BIG_SIZE) + "\n", Programs.run("getfattr", "--only-values",
                    "-n", "user.barecat.offset", after.toString()).ok().out() + "\n");
        }
    }
}
