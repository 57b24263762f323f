package org.barecat.fuse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Keeps the number of files the kernel holds a node for bounded. libfuse 2's high-level layer keeps
 * a node (about 190 bytes of C heap) for every entry the kernel holds, until the kernel forgets it,
 * and with an immutable archive's long entry timeouts the kernel forgets only under memory pressure:
 * an {@code lstat} of every file of a 1,000,000-file archive grew the daemon by 190 MB. So the
 * {@link #capacity} most recent file lookups are remembered here (parent node id and name, in the
 * order they came, with {@link #NAME_BYTES} of name per entry on average); one pushed out is handed
 * to a thread of its own that tells the kernel to drop that entry ({@code FUSE_NOTIFY_INVAL_ENTRY}).
 * The kernel frees the inode with its last entry and sends a FORGET, and libfuse frees its node.
 * The next use of that file costs one LOOKUP again.
 * <p>
 * Used only where libfuse answers for files: an index without rowids (the 0.2 layout). Otherwise
 * {@link FuseSession} answers every request about a file itself, and libfuse keeps no node for it.
 * <p>
 * The notification is sent from its own thread: the kernel takes the parent directory's lock for
 * it, which a LOOKUP in that directory may hold while it waits for a worker to answer it.
 */
final class HeldFiles {
    private static final Logger log = LoggerFactory.getLogger(HeldFiles.class);
    /** Entries waiting to be dropped; beyond this the oldest wait in the ring no more (rare: a burst). */
    private static final int QUEUE = 4_096;
    private static final int ENOENT = 2;

    /** Tells the kernel to drop entry {@code name} (UTF-8) of directory {@code parent}; 0 or a negative errno. */
    interface Invalidator {
        int invalidate(long parent, byte[] name);
    }

    private record Held(long parent, byte[] name) {
    }

    /** Name bytes kept per entry, on average, at most: beyond that the oldest entries go earlier. */
    static final int NAME_BYTES = 32;
    private static final int INITIAL = 1_024;

    private final int capacity;
    private final LongPredicate parentHeld;
    /*
     * The entries held, oldest first, in rings that grow up to capacity: no object per entry, so the
     * garbage collector never copies or scans them (a byte[] per name, kept for minutes, made every
     * young collection copy it and the old generation fill). Entry i (from first, count of them)
     * is parents[i] and lengths[i] bytes of names from starts[i], the names a FIFO that wraps.
     */
    private long[] parents;
    private int[] starts;
    private byte[] lengths;
    private byte[] names;
    /** The most name bytes held: room for a name of 255 however small the capacity. */
    private final int maxNameBytes;
    private int first;
    private int count;
    private int nameBytes;
    private final BlockingQueue<Held> pushedOut = new ArrayBlockingQueue<>(QUEUE);
    private final Thread dropper;
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param capacity    how many file entries the kernel may hold at once (as far as lookups here go)
     * @param parentHeld  whether the kernel still holds directory node id; an entry of one it forgot is not sent
     * @param invalidator sends the notification; called on this object's own thread only
     */
    HeldFiles(int capacity, LongPredicate parentHeld, Invalidator invalidator, String threadName) {
        if (capacity < 1) {
            throw new IllegalArgumentException("held files: " + capacity + " is not a positive number");
        }
        this.capacity = capacity;
        this.parentHeld = parentHeld;
        int entries = Math.min(INITIAL, capacity);
        this.parents = new long[entries];
        this.starts = new int[entries];
        this.lengths = new byte[entries];
        this.maxNameBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(255, (long) capacity * NAME_BYTES));
        this.names = new byte[Math.min(INITIAL * NAME_BYTES, maxNameBytes)];
        this.dropper = new Thread(() -> drop(invalidator), threadName);
        dropper.setDaemon(true);
        dropper.start();
    }

    /** A LOOKUP reply gave the kernel an entry for file {@code name} (UTF-8, 1-255 bytes) in directory {@code parent}. */
    synchronized void lookedUp(long parent, byte[] name) {
        int length = name.length;
        while (true) {
            boolean entriesFull = count == parents.length;
            boolean bytesFull = nameBytes + length > names.length;
            if (!entriesFull && !bytesFull) {
                break;
            }
            if (entriesFull && parents.length < capacity) {
                growEntries();
            } else if (!entriesFull && names.length < maxNameBytes) {
                growNames();
            } else {
                pushOut();
            }
        }
        int i = (first + count) % parents.length;
        int at = (starts[first] + nameBytes) % names.length; // with none held, anywhere will do
        parents[i] = parent;
        lengths[i] = (byte) length;
        starts[i] = at;
        int head = Math.min(length, names.length - at);
        System.arraycopy(name, 0, names, at, head);
        System.arraycopy(name, head, names, 0, length - head);
        count++;
        nameBytes += length;
    }

    /** Copies entry {@code i}'s name, which may wrap round the end of {@link #names}, to {@code to} at {@code at}. */
    private void copyName(int i, byte[] to, int at) {
        int length = lengths[i] & 0xFF;
        int head = Math.min(length, names.length - starts[i]);
        System.arraycopy(names, starts[i], to, at, head);
        System.arraycopy(names, 0, to, at + head, length - head);
    }

    /** Hands the oldest entry to the thread that drops it. */
    private void pushOut() {
        int length = lengths[first] & 0xFF;
        if (parentHeld.test(parents[first])) { // else the kernel forgot it with its directory (drop_caches)
            byte[] name = new byte[length];
            copyName(first, name, 0);
            pushedOut.offer(new Held(parents[first], name)); // when full (a burst), the kernel keeps this one
        }
        first = (first + 1) % parents.length;
        count--;
        nameBytes -= length;
    }

    private void growEntries() {
        int size = (int) Math.min(capacity, 2L * parents.length);
        long[] p = new long[size];
        int[] s = new int[size];
        byte[] l = new byte[size];
        for (int k = 0; k < count; k++) {
            int i = (first + k) % parents.length;
            p[k] = parents[i];
            s[k] = starts[i];
            l[k] = lengths[i];
        }
        parents = p;
        starts = s;
        lengths = l;
        first = 0;
    }

    private void growNames() {
        byte[] n = new byte[(int) Math.min(maxNameBytes, 2L * names.length)];
        int at = 0;
        for (int k = 0; k < count; k++) {
            int i = (first + k) % parents.length;
            copyName(i, n, at);
            starts[i] = at;
            at += lengths[i] & 0xFF;
        }
        names = n;
    }

    private void drop(Invalidator invalidator) {
        try {
            while (true) {
                Held h = pushedOut.take();
                int result = invalidator.invalidate(h.parent(), h.name());
                // ENOENT: the kernel had dropped it already (or the parent); anything else is unexpected
                if (result == 0) {
                    dropped.incrementAndGet();
                } else if (result != -ENOENT) {
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
