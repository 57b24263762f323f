package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveWriter;
import org.barecat.core.Attributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How many workers wait for requests, on a real mount in this JVM: a lone reader's lookups are all
 * answered by the one worker waiting, no other worker ever handed a turn; READs from 8 threads at once
 * have more workers wait, and every file reads back whole.
 */
class WaitingWorkersTest {
    @TempDir
    static Path tmp;
    private static Archive archive;
    private static final int SMALL = 400;
    private static final int LARGE = 48;
    private static final int LARGE_SIZE = 768 * 1024;
    /** Sizes 0..SMALL-1 and their paths, as {@code find -printf '%P %s\n'} prints them, sorted. */
    private static String expected;

    @BeforeAll
    static void writeArchive() throws IOException {
        System.setProperty("barecat.requestPath", "libfuse"); // what this tests is libfuse's request path
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "FUSE");
        Path path = tmp.resolve("w.barecat");
        StringBuilder lines = new StringBuilder();
        try (ArchiveWriter w = ArchiveWriter.create(path)) {
            for (int f = 0; f < LARGE; f++) {
                w.add(String.format("large/f%02d", f), content(f), Attributes.NONE);
                lines.append(String.format("large/f%02d %d%n", f, LARGE_SIZE));
            }
            lines.append(FindSizes.addSized(w, "small/f%03d", SMALL));
        }
        expected = lines.toString();
        archive = Archive.open(path);
    }

    @AfterAll
    static void close() throws IOException {
        System.clearProperty("barecat.requestPath");
        if (archive != null) {
            archive.close();
        }
    }

    private static byte[] content(int f) {
        byte[] b = new byte[LARGE_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + f * 7 + (i >>> 12));
        }
        return b;
    }

    @Test
    void aLoneReaderIsAnsweredByOneWorkerAndReadsAtOnceHaveMoreWait() throws Exception {
        Path point = Files.createDirectory(tmp.resolve("mnt"));
        FuseMount mount = FuseMount.mount(archive, point, MountOptions.parse(List.of()), new EntryDefaults(0, 0, 0), false);
        try {
            FuseSession session = mount.session();
            long before = session.turnsHandedOut();
            assertEquals(expected, FindSizes.of(point));
            assertEquals(before, session.turnsHandedOut(), "turns handed out during a find");

            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 5 && session.readersRaised() == 0; round++) {
                    Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
                    if (round > 0 && Files.isWritable(dropCaches)) {
                        Files.writeString(dropCaches, "1"); // the pages read before: READs again
                    }
                    List<Future<?>> reads = new ArrayList<>();
                    for (int f = 0; f < LARGE; f++) {
                        int file = f;
                        reads.add(pool.submit(() -> {
                            byte[] read = Files.readAllBytes(point.resolve(String.format("large/f%02d", file)));
                            assertArrayEquals(content(file), read, "large/f" + file);
                            return null;
                        }));
                    }
                    for (Future<?> r : reads) {
                        r.get(60, TimeUnit.SECONDS);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(session.readersRaised() > 0, "more workers wait once READs come at once: raised "
                    + session.readersRaised() + " times, turns " + Arrays.toString(new long[] {before, session.turnsHandedOut()}));
        } finally {
            mount.unmount();
            mount.awaitUnmount();
        }
    }
}
