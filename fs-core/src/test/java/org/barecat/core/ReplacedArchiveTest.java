package org.barecat.core;

import org.barecat.testing.Bytes;
import org.barecat.testing.Threads;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An archive published anew over the one that is open: the open one goes on reading the version it opened. */
class ReplacedArchiveTest {
    private static final int FILES = 400;
    private static final int THREADS = 16;

    @TempDir
    Path tmp;

    /** Version {@code v} of file {@code i}: same paths and sizes in every version, other bytes, other order. */
    private static byte[] content(int v, int i) {
        return Bytes.pattern(v * 31 + i * 7, 100 + i % 50);
    }

    private static String path(int i) {
        return "d" + i % 10 + "/f" + i;
    }

    private Path write(String name, int version) throws IOException {
        Path archive = tmp.resolve(name);
        try (TreeBuilder w = TreeBuilder.archive(archive)) {
            for (int k = 0; k < FILES; k++) {
                int i = version == 1 ? k : FILES - 1 - k; // the second version in the other order: other offsets
                w.file(path(i), content(version, i));
            }
        }
        return archive;
    }

    @Test
    void readsTheVersionItOpenedAfterIndexAndShardsAreRenamedOverIt() throws Exception {
        Path live = write("data.barecat", 1);
        Path next = write("next.barecat", 2);
        try (Archive archive = Archive.open(live)) {
            assertTrue(archive.lookup(path(0)).isPresent()); // one connection, made before the swap
            Files.move(next, live, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp.resolve("next.barecat-shard-00000"), tmp.resolve("data.barecat-shard-00000"),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertEquals(0, wrongReads(archive), "every read gives the first version's bytes");
        }
    }

    @Test
    void readsTheVersionItOpenedAfterTheIndexIsDeleted() throws Exception {
        Path live = write("data.barecat", 1);
        try (Archive archive = Archive.open(live)) {
            Files.delete(live);
            assertEquals(0, wrongReads(archive), "every lookup and read still succeeds");
        }
    }

    /** Reads every file from {@link #THREADS} threads at once (each wanting a connection of its own); how many went wrong. */
    private static int wrongReads(Archive archive) throws Exception {
        return Threads.sum(THREADS, first -> {
            int wrong = 0;
            for (int k = 0; k < FILES; k++) {
                int i = (first * 37 + k) % FILES;
                try {
                    FileEntry f = (FileEntry) archive.lookup(path(i)).orElseThrow();
                    ByteBuffer buf = ByteBuffer.allocate((int) f.size());
                    archive.read(f, 0, buf);
                    if (!java.util.Arrays.equals(buf.array(), content(1, i))) {
                        wrong++;
                    }
                } catch (IOException | RuntimeException e) {
                    wrong++;
                }
            }
            return wrong;
        });
    }
}
