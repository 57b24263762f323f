package org.barecat.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the {@link #BLOCK} of a shard around a small file, on a background thread, when reading the
 * file had to wait for the disk.
 *
 * <p>A small file's read is a few KiB at a random place in the shard, for which the kernel reads
 * little more than asked: 25,000 of 200,000 files of 0.5-4 KiB, read cold in shuffled order, took
 * 24,000 disk requests of 12 KiB on average, where in order their neighbours came in the same request.
 * A squashfs image keeps small files in blocks of 128 KiB that are read whole, and squashfuse read
 * the same files in 4,000-7,000 requests, most of the image, finding the rest cached. This gives a
 * Barecat shard the same: the neighbours of a file that was not cached come in with one larger
 * request, made beside the reader's next one (18,000-22,000 requests then, and 1.24 times the speed).
 *
 * <p>Only while the shards fit in a quarter of the memory: beyond that, the neighbours read along
 * would mostly be pushed out of the page cache before anyone read them, and the extra bytes cost disk
 * time. The queue is bounded and a block asked for again soon after is read once; a request the
 * queue has no room for is dropped.
 */
final class ShardReadAround implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardReadAround.class);
    /** The bytes read around a small file: squashfs's default block. */
    static final int BLOCK = 128 * 1024;
    /** Reads up to this long are read around; longer ones get enough from the kernel's own readahead. */
    static final int SMALL = 32 * 1024;
    /** A read this slow waited for the disk: a cached one of a few KiB takes microseconds. */
    static final long MISS_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int QUEUE = 256;
    private static final int RECENT = 4096;

    private final FileChannel[] shards;
    private final boolean enabled;
    private final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(QUEUE);
    /** Blocks asked for lately, one slot per hash of block (plus one, so that 0 is an empty slot). */
    private final long[] recent = new long[RECENT];
    private final AtomicLong blocksRead = new AtomicLong();
    private Thread thread;
    private volatile boolean closed;

    /** Reads around in {@code shards}, if their {@code total} size fits in a quarter of the memory. */
    ShardReadAround(FileChannel[] shards, long total) {
        this(shards, total <= IndexReadahead.physicalMemory() / 4);
    }

    ShardReadAround(FileChannel[] shards, boolean enabled) {
        this.shards = shards;
        this.enabled = enabled;
    }

    /** Called after each read of {@code length} bytes at {@code position} of shard {@code shard}, which took {@code elapsedNs}. */
    void afterRead(int shard, long position, int length, long elapsedNs) {
        if (!enabled || length > SMALL || elapsedNs < MISS_NS || closed) {
            return;
        }
        long key = ((long) shard << 40) | (position / BLOCK);
        int slot = (int) (mix(key) & (RECENT - 1));
        if (recent[slot] == key + 1) {
            return; // asked for lately (a race here at worst reads a block twice)
        }
        recent[slot] = key + 1;
        if (queue.offer(key)) {
            startOnce();
        }
    }

    /** Blocks read around so far. */
    long blocksRead() {
        return blocksRead.get();
    }

    private synchronized void startOnce() {
        if (thread == null && !closed) {
            thread = new Thread(this::run, "barecat-read-around");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
        try {
            while (!closed) {
                long key = queue.take();
                int shard = (int) (key >>> 40);
                long start = (key & ((1L << 40) - 1)) * BLOCK;
                buffer.clear();
                try {
                    while (buffer.hasRemaining() && shards[shard].read(buffer, start + buffer.position()) > 0) {
                        // the pages stay in the page cache; the bytes are not needed here
                    }
                    blocksRead.incrementAndGet();
                } catch (IOException e) {
                    log.debug("reading around shard {} at {}: {}", shard, start, e.toString());
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Stops the thread. A read it is in the middle of closes that shard's channel: only for when the shards close next. */
    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static long mix(long key) {
        key *= 0x9E3779B97F4A7C15L;
        return key ^ (key >>> 29);
    }
}
