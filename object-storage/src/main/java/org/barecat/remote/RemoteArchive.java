package org.barecat.remote;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ShardSource;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An archive on a server, found: its index copied into the cache, its shards opened by number. What
 * {@link RemoteArchives#open} makes an {@code Archive} of, and what reads the index or shards another
 * way (verification, index exports) starts from. The connection to the server stays open until this and
 * every shard opened from it are closed.
 */
public final class RemoteArchive implements Closeable {
    /** Requests made ahead of readers at once: as many as a prefetch makes, each of a few blocks. */
    private static final int AHEAD_THREADS = Math.max(2, RemoteShard.FILL_STREAMS);
    /** How long closing waits for fetches ahead under way. */
    private static final int STOP_WAIT_SECONDS = 5;

    private final String url;
    private final ObjectStore store;
    private final String indexKey;
    private final Path index;
    private final String shardBase;
    private final BlockCache blocks;
    /** Whether each shard is fetched whole once first read ({@code -o prefetch}). */
    private final boolean prefetch;
    /** Whether the server is failing reads now: shared by the shards, so an outage is logged once. */
    private final AtomicBoolean failing = new AtomicBoolean();
    /** This object and its open shards: the store is closed when the last of them is. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Threads for the fetches made ahead of readers: a few requests in flight, each holding its blocks. */
    private final ThreadPoolExecutor ahead;

    RemoteArchive(String url, ObjectStore store, String indexKey, Path index, String shardBase, BlockCache blocks,
                  boolean prefetch) {
        this.url = url;
        this.store = store;
        this.indexKey = indexKey;
        this.index = index;
        this.shardBase = shardBase;
        this.blocks = blocks;
        this.prefetch = prefetch;
        AtomicInteger n = new AtomicInteger();
        this.ahead = new ThreadPoolExecutor(AHEAD_THREADS, AHEAD_THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "barecat-fetch-ahead-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The URL the archive was named by. */
    public String url() {
        return url;
    }

    /** The index's URL: {@link #url()}, or the legacy {@code -sqlite-index} object found beside it. */
    public String indexUrl() {
        return store.url(indexKey);
    }

    /** The local copy of the index (read-only: other processes may be reading it). */
    public Path index() {
        return index;
    }

    /** Shard number {@code shard}'s URL. */
    public String shardName(int shard) {
        return store.url(ArchiveFiles.shardName(shardBase, shard));
    }

    /**
     * Shard number {@code shard}, read in blocks through the cache.
     *
     * @throws NoSuchFileException naming the shard's URL when the server has no such object
     */
    public ShardSource openShard(int shard) throws IOException {
        String key = ArchiveFiles.shardName(shardBase, shard);
        ObjectInfo object = store.head(key);
        users.incrementAndGet();
        return new RemoteShard(store, key, object, blocks, failing, ahead, prefetch, this::release);
    }

    private void release() {
        if (users.decrementAndGet() == 0) {
            stopFetchingAhead();
            try {
                store.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a client: nothing to report
            }
        }
    }

    /**
     * Drops the fetches ahead not started and lets those under way finish for a while, so that the
     * blocks they fetched are stored whole for the next open (an interrupted write stores nothing).
     */
    private void stopFetchingAhead() {
        ahead.getQueue().clear();
        ahead.shutdown();
        try {
            if (!ahead.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                ahead.shutdownNow();
            }
        } catch (InterruptedException e) {
            ahead.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }
}
