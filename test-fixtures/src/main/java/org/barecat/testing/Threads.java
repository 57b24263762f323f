package org.barecat.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Work done by several threads at once, for tests of concurrent readers. */
public final class Threads {
    private Threads() {
    }

    /** One thread's share of the work; returns a count (of reads that went wrong, say). */
    @FunctionalInterface
    public interface Task {
        int run(int thread) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads, started together; returns the sum of their counts. */
    public static int sum(int threads, Task task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    return task.run(thread);
                }));
            }
            int sum = 0;
            for (Future<Integer> f : done) {
                sum += f.get();
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }
}
