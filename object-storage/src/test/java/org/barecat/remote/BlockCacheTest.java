package org.barecat.remote;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                cache.read("o", 0, 0, ByteBuffer.allocate(4), b -> 4, (block, count, into) -> {
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
                cache.read("o", 0, 0, ByteBuffer.allocate(4), b -> 4, (block, count, into) -> Arrays.fill(into[0], 0, 4, (byte) 9));
                return null;
            });
            Throwable failed = assertThrows(java.util.concurrent.ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS)).getCause();
            assertEquals(IOException.class, failed.getClass(), "a failed read, not the daemon's death");
            assertEquals(OutOfMemoryError.class, failed.getCause().getClass());
            try { // the waiter either failed with the first fetch or fetched the block itself: it did not hang
                second.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertEquals(IOException.class, e.getCause().getClass());
            }
            ByteBuffer again = ByteBuffer.allocate(4);
            cache.read("o", 0, 0, again, b -> 4, (block, count, into) -> System.arraycopy(new byte[] {1, 2, 3, 4}, 0, into[0], 0, 4));
            if (again.array()[0] != 9) {
                assertArrayEquals(new byte[] {1, 2, 3, 4}, again.array());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Block {@code block}'s bytes in the tests' objects: a pattern no other block has at that place. */
    private static byte at(long block, int i) {
        return (byte) (block * 31 + i);
    }

    /** A fetcher of the tests' objects that counts the blocks it is asked for. */
    private static BlockCache.RunFetcher counting(AtomicInteger fetched, int blockLength) {
        return (first, count, into) -> {
            fetched.addAndGet(count);
            for (int b = 0; b < count; b++) {
                for (int i = 0; i < blockLength; i++) {
                    into[b][i] = at(first + b, i);
                }
            }
        };
    }

    @Test
    void aFillFetchesEveryBlockOnceWhileReadersReadTheRightBytesAndASecondFillFetchesNothing() throws Exception {
        BlockCache cache = new BlockCache(tmp, 1 << 30);
        int blocks = 3 * BlockCache.FILL_RUN + 2;
        AtomicInteger fetched = new AtomicInteger();
        BlockCache.RunFetcher fetcher = counting(fetched, 8);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            assertTrue(cache.fill("o", blocks * 8L, blocks, b -> 8, fetcher, executor, 2, BlockCacheTest::fail));
            for (long block = blocks - 1; block >= 0; block--) { // readers meet the fill from the other end
                ByteBuffer dst = ByteBuffer.allocate(3);
                cache.read("o", block, 5, dst, b -> 8, fetcher);
                assertArrayEquals(new byte[] {at(block, 5), at(block, 6), at(block, 7)}, dst.array());
            }
            executor.shutdown();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(blocks, fetched.get(), "each block fetched once, by the fill or a reader");
            assertEquals(blocks * 8L, cache.size());

            ExecutorService again = Executors.newSingleThreadExecutor();
            assertTrue(new BlockCache(tmp, 1 << 30).fill("o", blocks * 8L, blocks, b -> 8, fetcher, again, 2, BlockCacheTest::fail));
            again.shutdown();
            assertTrue(again.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(blocks, fetched.get(), "the blocks an earlier mount stored are not fetched again");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aFillIsRefusedWhenTheObjectDoesNotFitInWhatOtherFillsLeftOfTheCapacity() throws Exception {
        BlockCache cache = new BlockCache(tmp, 100);
        AtomicInteger fetched = new AtomicInteger();
        Executor inline = Runnable::run;
        assertTrue(cache.fill("a", 64, 8, b -> 8, counting(fetched, 8), inline, 1, BlockCacheTest::fail));
        assertFalse(cache.fill("b", 64, 8, b -> 8, counting(fetched, 8), inline, 1, BlockCacheTest::fail));
        assertEquals(8, fetched.get());
    }

    /** What a fill that must not fail is given to run when it does. */
    private static void fail() {
        throw new AssertionError("a fill failed");
    }

    @Test
    void aFillStoppedByAFailedRequestLeavesNoBlockClaimedAndGivesBackItsShareOfTheCapacity() throws Exception {
        BlockCache cache = new BlockCache(tmp, 100);
        AtomicInteger fetched = new AtomicInteger();
        BlockCache.RunFetcher fetcher = counting(fetched, 8);
        cache.read("o", 1, 0, ByteBuffer.allocate(8), b -> 8, fetcher);
        BlockCache.RunFetcher failingAtZero = (first, count, into) -> {
            if (first == 0) {
                throw new IOException("503 Slow Down");
            }
            fetcher.fetch(first, count, into);
        };
        AtomicInteger failures = new AtomicInteger();
        // block 1 is stored, so the fill's first blocks are two runs: block 0, whose request fails, then 2 and 3
        assertTrue(cache.fill("o", 64, 8, b -> 8, failingAtZero, Runnable::run, 1, failures::incrementAndGet));
        assertEquals(1, failures.get());
        assertEquals(1, fetched.get(), "nothing fetched after the failed request");

        ByteBuffer dst = ByteBuffer.allocate(8); // a block the fill claimed but did not fetch: this reader fetches it
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cache.read("o", 3, 0, dst, b -> 8, fetcher),
                "the read waited for a fetch that was never to be made");
        assertEquals(at(3, 0), dst.get(0));
        assertEquals(2, fetched.get());

        assertTrue(cache.fill("o", 64, 8, b -> 8, fetcher, Runnable::run, 1, BlockCacheTest::fail),
                "the failed fill gave back its share, so the same object (or another) fits again");
        assertEquals(8, fetched.get(), "the blocks stored before are not fetched again");
    }
}
