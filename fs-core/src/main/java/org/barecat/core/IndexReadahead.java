package org.barecat.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads the whole index file ahead, on a background thread, when a query had to wait for the disk.
 *
 * <p>SQLite reads its pages 4 KiB at a time, in an order the kernel's readahead does not take for
 * sequential, so an index that is not in the page cache (after a reboot, on a fresh NFS client, after
 * memory pressure) is read one small random read at a time. One sequential pass over the file costs far less than
 * those reads and leaves every page cached.
 *
 * <p>A query slower than {@link #SLOW_QUERY_NS} starts a pass. One slower than
 * {@link #SUSPECT_QUERY_NS} (a lookup that read a page or two from a disk answering in under a
 * millisecond, or a thread that lost the CPU for a while) asks the kernel whether every page of the
 * file is in the page cache ({@code mincore}, at most every {@link #CHECK_GAP_NS}), and starts a pass
 * when one is not. Passes take at most a tenth of the time (after a pass that took {@code t}, the
 * next may start {@code 9t} later, and never within a second): when the index keeps being pushed out
 * of the page cache, re-reading it cannot become most of what the disk does. Only indexes no larger
 * than an eighth of the memory (at most 1 GiB) are read, so a pass never pushes the rest of the page
 * cache out.
 */
final class IndexReadahead {
    private static final Logger log = LoggerFactory.getLogger(IndexReadahead.class);
    /** A query this slow waited for the disk: warm, lookups take microseconds and a page of a listing well under this. */
    static final long SLOW_QUERY_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** A query this slow may have waited for the disk: worth asking the page cache. */
    static final long SUSPECT_QUERY_NS = TimeUnit.MICROSECONDS.toNanos(100);
    /** The least time between two checks of the page cache. */
    static final long CHECK_GAP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The least time from the end of a pass to the start of the next. */
    static final long MIN_GAP_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int GAP_PER_PASS_TIME = 9;

    private final Path file;
    /** The index file, read through this channel: the file the index's connections read, whatever its path names now. */
    private final FileChannel channel;
    private long nextAllowedNs = System.nanoTime();
    private long nextCheckNs = System.nanoTime();
    /** The whole file mapped, for {@link MappedByteBuffer#isLoaded} (never read through: it adds nothing to the RSS); made on the first check. */
    private MappedByteBuffer mapped;
    private volatile boolean running;
    private int passes;

    /** @param file the index's path, for messages; {@code channel}: the file open for reading */
    IndexReadahead(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Called after each query with its duration; starts a pass when it was slow, or somewhat slow and
     * the file is not all in the page cache, and none ran lately.
     */
    void afterQuery(long elapsedNs) {
        if (elapsedNs < SUSPECT_QUERY_NS || running) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (running || now - nextAllowedNs < 0) {
                return;
            }
            if (elapsedNs < SLOW_QUERY_NS) {
                if (now - nextCheckNs < 0) {
                    return;
                }
                nextCheckNs = now + CHECK_GAP_NS;
                if (allCached()) {
                    return;
                }
            }
            running = true;
            passes++;
        }
        Thread t = new Thread(this::readWholeFile, "barecat-index-readahead");
        t.setDaemon(true);
        t.start();
    }

    /** Passes started so far. */
    synchronized int passes() {
        return passes;
    }

    /** Whether a pass is reading the file now. */
    boolean running() {
        return running;
    }

    /** Whether every page of the file is in the page cache, or it is too large to read ahead (then nothing to do). */
    private boolean allCached() {
        try {
            if (mapped == null) {
                if (!worthReading()) {
                    return true;
                }
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            }
            return mapped.isLoaded();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: asking the page cache: {}", file, e.toString());
            return true; // then only a slow query starts a pass
        }
    }

    private boolean worthReading() throws IOException {
        return channel.size() <= Math.min(1L << 30, physicalMemory() / 8);
    }

    private void readWholeFile() {
        long start = System.nanoTime();
        try {
            if (worthReading()) {
                log.debug("{}: reading the index ahead (pass {})", file, passes());
                ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
                for (long position = 0; ; position += buffer.position()) {
                    buffer.clear();
                    if (channel.read(buffer, position) <= 0) {
                        break; // the pages stay in the page cache; the bytes are not needed here
                    }
                }
            }
        } catch (IOException e) {
            log.debug("{}: reading ahead: {}", file, e.toString());
        } finally {
            synchronized (this) {
                long end = System.nanoTime();
                nextAllowedNs = end + Math.max(MIN_GAP_NS, GAP_PER_PASS_TIME * (end - start));
                running = false;
            }
        }
    }

    static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 8L << 30;
    }
}
