package org.barecat.remote;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The block cache's fetches as its readers see them, with fetchers of the test's making. */
class BlockCacheTest {
    @TempDir
    Path tmp;

    @Test
    void aFetchEndingInAnErrorFailsTheReadersWaitingForItAndTheNextReadFetchesAgain() throws Exception {
        BlockCache cache = new BlockCache(tmp, 1 << 30);
        CountDownLatch waiting = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> {
                cache.read("o", 0, 4, 0, ByteBuffer.allocate(4), () -> {
                    waiting.countDown(); // the second reader now finds this fetch under way, and waits for it
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    throw new OutOfMemoryError("Java heap space");
                });
                return null;
            });
            Future<?> second = threads.submit(() -> {
                waiting.await(10, TimeUnit.SECONDS);
                cache.read("o", 0, 4, 0, ByteBuffer.allocate(4), () -> new byte[] {9, 9, 9, 9});
                return null;
            });
            assertEquals(OutOfMemoryError.class,
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS)).getCause().getClass());
            try { // the waiter either failed with the first fetch or fetched the block itself: it did not hang
                second.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertEquals(IOException.class, e.getCause().getClass());
            }
            ByteBuffer again = ByteBuffer.allocate(4);
            cache.read("o", 0, 4, 0, again, () -> new byte[] {1, 2, 3, 4});
            if (again.array()[0] != 9) {
                assertArrayEquals(new byte[] {1, 2, 3, 4}, again.array());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
