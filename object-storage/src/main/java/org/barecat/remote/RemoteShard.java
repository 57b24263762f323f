package org.barecat.remote;

import org.barecat.core.ShardSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shard on a server, read in whole blocks through the {@link BlockCache}. Once the blocks lately
 * read include the two before the one read now, the blocks ahead are fetched before they are asked
 * for, several in one request; a random reader seldom looks like that, so it seldom pays for bytes it
 * does not read. With {@code prefetch}, the first read starts fetching the whole shard in the
 * background ({@link BlockCache#fill}), for a reader that will read all of it, such as a shuffled
 * training epoch, which gives no sequence to read ahead on. A read the server cannot serve fails alone; the first failure after a success is
 * logged, and so is the server's return.
 */
final class RemoteShard implements ShardSource {
    private static final Logger log = LoggerFactory.getLogger(RemoteShard.class);
    /** Blocks fetched ahead of a reader going forward. */
    static final int READ_AHEAD_BLOCKS = 4;
    /** Blocks lately read, to tell readers going forward (one each, several at once) from random ones. */
    private static final int RECENT = 16;
    /** Requests of a prefetch in flight at once. */
    static final int FILL_STREAMS = Integer.getInteger("barecat.fill_streams", 2);

    private final ObjectStore store;
    private final String key;
    private final ObjectInfo object;
    private final BlockCache cache;
    /** This version of this shard, as the cache names it. */
    private final String cacheName;
    /** Whether the server is failing reads now: shared by an archive's shards, so an outage is logged once. */
    private final AtomicBoolean failing;
    private final Runnable onClose;
    private final Executor aheadExecutor;
    /** Whether to fetch the whole shard once it is first read; set false once that has begun. */
    private final AtomicBoolean prefetch;
    /** Set when a prefetch stopped on a failed request: the next request the server answers sets {@link #prefetch} again. */
    private final AtomicBoolean prefetchFailed = new AtomicBoolean();
    private final long[] recent = new long[RECENT];
    private int recentNext;

    RemoteShard(ObjectStore store, String key, ObjectInfo object, BlockCache cache, AtomicBoolean failing,
                Executor aheadExecutor, boolean prefetch, Runnable onClose) {
        this.store = store;
        this.key = key;
        this.object = object;
        this.cache = cache;
        this.cacheName = IndexCache.hash(store.url(key) + "\n" + object.version() + "\n" + object.size()
                + "\n" + BlockCache.BLOCK_SIZE);
        this.failing = failing;
        this.onClose = onClose;
        this.aheadExecutor = aheadExecutor;
        this.prefetch = new AtomicBoolean(prefetch);
        Arrays.fill(recent, -1);
    }

    @Override
    public String name() {
        return store.url(key);
    }

    @Override
    public long size() {
        return object.size();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= object.size()) {
            return -1;
        }
        long block = position / BlockCache.BLOCK_SIZE;
        long blockStart = block * BlockCache.BLOCK_SIZE;
        int blockLength = blockLength(block);
        int offset = (int) (position - blockStart);
        int n = Math.min(dst.remaining(), blockLength - offset);
        long blocks = (object.size() + BlockCache.BLOCK_SIZE - 1) / BlockCache.BLOCK_SIZE;
        if (prefetch.get() && prefetch.compareAndSet(true, false)
                && !cache.fill(cacheName, object.size(), blocks, this::blockLength, this::fetchRun, aheadExecutor, FILL_STREAMS,
                        () -> prefetchFailed.set(true))) {
            log.info("{}: not prefetched: it does not fit in what is left of the cache (cache_size=)", name());
        }
        if (block + 1 < blocks && goingForward(block)) {
            cache.fetchAhead(cacheName, block + 1, (int) Math.min(READ_AHEAD_BLOCKS, blocks - block - 1),
                    this::blockLength, this::fetchRun, aheadExecutor);
        }
        try {
            cache.read(cacheName, block, offset, dst.slice(dst.position(), n), this::blockLength, this::fetchRun);
        } catch (IOException e) {
            if (failing.compareAndSet(false, true)) {
                log.warn("{}; reads that need the server fail (EIO) until it answers again", e.getMessage());
            }
            throw e;
        }
        if (failing.get() && failing.compareAndSet(true, false)) {
            log.warn("{}: the server answers again", name());
        }
        dst.position(dst.position() + n);
        return n;
    }

    /** Blocks {@code first} to {@code first + count - 1}, in one request, into {@code into}. */
    private void fetchRun(long first, int count, byte[][] into) throws IOException {
        long start = first * BlockCache.BLOCK_SIZE;
        long length = Math.min(object.size(), start + (long) count * BlockCache.BLOCK_SIZE) - start;
        try (InputStream in = store.open(key, object, start, length)) {
            Blocks.readExactly(in, length, into, name(), start);
        }
        if (prefetchFailed.get() && prefetchFailed.compareAndSet(true, false)) {
            prefetch.set(true); // the server answers again: the next read takes the prefetch up where it stopped
        }
    }

    private int blockLength(long block) {
        return (int) Math.min(BlockCache.BLOCK_SIZE, object.size() - block * BlockCache.BLOCK_SIZE);
    }

    /** Notes a read of {@code block}: whether the two blocks before it were read lately. */
    private boolean goingForward(long block) {
        boolean previous = false;
        boolean beforeThat = false;
        synchronized (recent) {
            boolean seen = false;
            for (long b : recent) {
                previous |= b == block - 1;
                beforeThat |= b == block - 2;
                seen |= b == block;
            }
            if (!seen) {
                recent[recentNext] = block;
                recentNext = (recentNext + 1) % RECENT;
            }
        }
        return previous && beforeThat;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
