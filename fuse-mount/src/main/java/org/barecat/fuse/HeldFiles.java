package org.barecat.fuse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the number of files the kernel holds a node for bounded. libfuse 2's high-level layer keeps
 * a node (about 190 bytes of C heap) for every entry the kernel holds, until the kernel forgets it,
 * and with an immutable archive's long entry timeouts the kernel forgets only under memory pressure:
 * an {@code lstat} of every file of a 1,000,000-file archive grew the daemon by 190 MB. So the
 * {@link #capacity} most recent file lookups are remembered here (parent node id and name, in the
 * order they came); one pushed out is handed to a thread of its own that tells the kernel to drop
 * that entry ({@code FUSE_NOTIFY_INVAL_ENTRY}). The kernel frees the inode with its last entry and
 * sends a FORGET, and libfuse frees its node. The next use of that file costs one LOOKUP again.
 * <p>
 * The notification is sent from its own thread: the kernel takes the parent directory's lock for
 * it, which a LOOKUP in that directory may hold while it waits for a worker to answer it.
 */
final class HeldFiles {
    private static final Logger log = LoggerFactory.getLogger(HeldFiles.class);
    /** Entries waiting to be dropped; beyond this the oldest wait in the ring no more (rare: a burst). */
    private static final int QUEUE = 4_096;

    /** Tells the kernel to drop entry {@code name} (UTF-8) of directory {@code parent}; 0 or a negative errno. */
    interface Invalidator {
        int invalidate(long parent, byte[] name);
    }

    private record Held(long parent, byte[] name) {
    }

    private final int capacity;
    private final long[] parents;
    private final byte[][] names;
    private int next;
    private final BlockingQueue<Held> pushedOut = new ArrayBlockingQueue<>(QUEUE);
    private final Thread dropper;
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param capacity    how many file entries the kernel may hold at once (as far as lookups here go)
     * @param invalidator sends the notification; called on this object's own thread only
     */
    HeldFiles(int capacity, Invalidator invalidator, String threadName) {
        this.capacity = capacity;
        this.parents = new long[capacity];
        this.names = new byte[capacity][];
        this.dropper = new Thread(() -> drop(invalidator), threadName);
        dropper.setDaemon(true);
        dropper.start();
    }

    /** A LOOKUP reply gave the kernel an entry for file {@code name} (UTF-8) in directory {@code parent}. */
    void lookedUp(long parent, byte[] name) {
        Held out = null;
        synchronized (this) {
            int i = next;
            next = i + 1 == capacity ? 0 : i + 1;
            if (names[i] != null) {
                out = new Held(parents[i], names[i]);
            }
            parents[i] = parent;
            names[i] = name;
        }
        if (out != null) {
            pushedOut.offer(out);
        }
    }

    private void drop(Invalidator invalidator) {
        try {
            while (true) {
                Held h = pushedOut.take();
                int result = invalidator.invalidate(h.parent(), h.name());
                // ENOENT: the kernel had dropped it already (or the parent); anything else is unexpected
                if (result == 0) {
                    dropped.incrementAndGet();
                } else if (result != -2) {
                    log.debug("dropping a held entry failed: errno {}", -result);
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** Entries the kernel dropped when told to, so far. */
    long dropped() {
        return dropped.get();
    }

    /** Stops sending notifications, and waits for the one under way. */
    void stop() throws InterruptedException {
        dropper.interrupt();
        dropper.join();
    }
}
