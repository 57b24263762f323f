package org.barecat.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads a small file that is not in the page cache together with the {@link #BLOCK} of its shard
 * around it, in one request.
 *
 * <p>A small file's read is a few KiB at a random place in the shard, for which the kernel reads
 * little more than asked: files read cold in shuffled order each cost a disk request of their own,
 * where read in order their neighbours came in the same request. A squashfs image keeps small files
 * in blocks of 128 KiB that are read whole, so its neighbours come along. This gives a Barecat shard
 * the same: whether the file's pages are cached is asked first ({@code mincore}, through
 * {@link MappedByteBuffer#isLoaded} on a mapping that is never read through, so it adds nothing to the
 * RSS), and when they are not, the aligned block around them is read and the file copied out of it,
 * on the reader's own thread: a background thread reading the block after a read that waited fell
 * behind the reader's next misses.
 *
 * <p>Only while the shards fit in a quarter of the memory: beyond that, the neighbours read along
 * would mostly be pushed out of the page cache before anyone read them, and the extra bytes cost disk
 * time.
 */
final class ShardReadAround {
    private static final Logger log = LoggerFactory.getLogger(ShardReadAround.class);
    /** The bytes read around a small file: squashfs's default block. */
    static final int BLOCK = 128 * 1024;
    /** Reads up to this long are read around; longer ones get enough from the kernel's own readahead. */
    static final int SMALL = 32 * 1024;
    /** The shards are mapped in pieces of this size (a buffer holds at most 2 GiB). */
    private static final long WINDOW = 1L << 30;

    private final FileChannel[] shards;
    private final long[] sizes;
    /** Per shard, its mapping in {@link #WINDOW}s; null when reading around is off. */
    private final MappedByteBuffer[][] windows;
    /** A block and the longest small file that may stick out of it. */
    private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BLOCK + SMALL));
    private final LongAdder blocksRead = new LongAdder();

    /** Whether shards of {@code total} bytes fit in a quarter of the memory, so that reading around pays. */
    static boolean fitsInMemory(long total) {
        return total <= IndexReadahead.physicalMemory() / 4;
    }

    ShardReadAround(FileChannel[] shards, long[] sizes, boolean enabled) {
        this.shards = shards;
        this.sizes = sizes;
        this.windows = enabled ? map(shards, sizes) : null;
    }

    /** The shards mapped in windows, or null when one cannot be mapped (then no reading around). */
    private static MappedByteBuffer[][] map(FileChannel[] shards, long[] sizes) {
        MappedByteBuffer[][] windows = new MappedByteBuffer[shards.length][];
        try {
            for (int i = 0; i < shards.length; i++) {
                windows[i] = new MappedByteBuffer[(int) ((sizes[i] + WINDOW - 1) / WINDOW)];
                for (int w = 0; w < windows[i].length; w++) {
                    long start = w * WINDOW;
                    windows[i][w] = shards[i].map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, sizes[i] - start));
                }
            }
            return windows;
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("mapping the shards to ask the page cache: {}; no reading around", e.toString());
            return null;
        }
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code position} of shard {@code shard} along with the
     * block around them, when they are few and not in the page cache.
     *
     * @return false when it read nothing (then the caller reads as usual)
     */
    boolean read(int shard, long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (windows == null || length == 0 || length > SMALL || position + length > sizes[shard]
                || cached(shard, position, length)) {
            return false;
        }
        long start = position - position % BLOCK;
        long end = Math.min(sizes[shard], Math.max(start + BLOCK, position + length));
        ByteBuffer block = buffers.get();
        block.clear().limit((int) (end - start));
        while (block.hasRemaining()) {
            if (shards[shard].read(block, start + block.position()) < 0) {
                return false; // shorter than when opened: the caller's read reports it
            }
        }
        int from = (int) (position - start);
        dst.put(block.limit(from + length).position(from));
        blocksRead.increment();
        return true;
    }

    /** Blocks read around so far. */
    long blocksRead() {
        return blocksRead.sum();
    }

    private boolean cached(int shard, long position, int length) {
        long end = position + length;
        for (long p = position; p < end; ) {
            int w = (int) (p / WINDOW);
            long next = Math.min(end, (w + 1) * WINDOW);
            if (!windows[shard][w].slice((int) (p - w * WINDOW), (int) (next - p)).isLoaded()) {
                return false;
            }
            p = next;
        }
        return true;
    }
}
