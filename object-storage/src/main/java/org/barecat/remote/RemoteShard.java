package org.barecat.remote;

import org.barecat.core.ShardSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shard on a server, read in whole blocks through the {@link BlockCache}. A read the server cannot
 * serve fails alone; the first failure after a success is logged, and so is the server's return.
 */
final class RemoteShard implements ShardSource {
    private static final Logger log = LoggerFactory.getLogger(RemoteShard.class);

    private final ObjectStore store;
    private final String key;
    private final ObjectInfo object;
    private final BlockCache cache;
    /** This version of this shard, as the cache names it. */
    private final String cacheName;
    /** Whether the server is failing reads now: shared by an archive's shards, so an outage is logged once. */
    private final AtomicBoolean failing;
    private final Runnable onClose;

    RemoteShard(ObjectStore store, String key, ObjectInfo object, BlockCache cache, AtomicBoolean failing,
                Runnable onClose) {
        this.store = store;
        this.key = key;
        this.object = object;
        this.cache = cache;
        this.cacheName = IndexCache.hash(store.url(key) + "\n" + object.version() + "\n" + object.size());
        this.failing = failing;
        this.onClose = onClose;
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
        int blockLength = (int) Math.min(BlockCache.BLOCK_SIZE, object.size() - blockStart);
        int offset = (int) (position - blockStart);
        int n = Math.min(dst.remaining(), blockLength - offset);
        try {
            cache.read(cacheName, block, blockLength, offset, dst.slice(dst.position(), n),
                    () -> store.read(key, object, blockStart, blockLength));
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

    @Override
    public void close() {
        onClose.run();
    }
}
