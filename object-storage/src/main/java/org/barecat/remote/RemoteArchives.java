package org.barecat.remote;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFiles;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens archives on object storage ({@code s3://BUCKET/KEY}) and web servers ({@code http://},
 * {@code https://}) as {@link Archive}s: the index is copied once into the cache ({@link IndexCache})
 * and read locally, shard bytes come by ranged reads through the {@link BlockCache}. Shards are found
 * beside the index by the same names as on disk ({@code X-shard-00000}, ...; a legacy
 * {@code X-sqlite-index} index included).
 */
public final class RemoteArchives {
    /** Requests made ahead of readers at once, each of up to half of {@link RemoteShard#READ_AHEAD_BLOCKS} blocks. */
    private static final int AHEAD_THREADS = 2;
    /** How long closing waits for fetches ahead under way. */
    private static final int STOP_WAIT_SECONDS = 5;

    private RemoteArchives() {
    }

    /** Whether {@code name} is a URL this opens rather than a local path. */
    public static boolean isUrl(String name) {
        return name.startsWith("s3://") || name.startsWith("http://") || name.startsWith("https://");
    }

    /**
     * Opens the archive at {@code url}.
     *
     * @throws IOException with a one-line message naming the URL and the reason: no such object, access
     *                     denied, the server cannot be reached, no credentials, a damaged index, ...
     */
    public static Archive open(String url, RemoteOptions options) throws IOException {
        Location location = Location.parse(url);
        ObjectStore store = location.scheme().equals("s3") ? new S3Store(location.authority(), options)
                : new HttpStore(location.scheme() + "://" + location.authority());
        try {
            String indexKey = location.key();
            String base = indexKey;
            ObjectInfo index;
            try {
                index = store.head(indexKey);
                if (indexKey.endsWith(ArchiveFiles.LEGACY_INDEX_SUFFIX)) {
                    base = indexKey.substring(0, indexKey.length() - ArchiveFiles.LEGACY_INDEX_SUFFIX.length());
                }
            } catch (NoSuchFileException e) {
                try {
                    index = store.head(indexKey + ArchiveFiles.LEGACY_INDEX_SUFFIX);
                    indexKey += ArchiveFiles.LEGACY_INDEX_SUFFIX;
                } catch (NoSuchFileException legacy) {
                    throw new NoSuchFileException(url, null, "no such archive (neither the object nor "
                            + url.substring(url.lastIndexOf('/') + 1) + ArchiveFiles.LEGACY_INDEX_SUFFIX + " exists)");
                }
            }
            java.nio.file.Path localIndex = IndexCache.copy(store, indexKey, index, options.cacheDir().resolve("index"));
            BlockCache blocks = new BlockCache(options.cacheDir().resolve("blocks"), options.cacheSize());
            AtomicBoolean failing = new AtomicBoolean();
            AtomicInteger open = new AtomicInteger();
            ThreadPoolExecutor ahead = aheadExecutor();
            // the store is closed with the last shard: the archive closes each of them
            Runnable closeOne = () -> {
                if (open.decrementAndGet() == 0) {
                    stop(ahead);
                    closeQuietly(store);
                }
            };
            String shardBase = base;
            Archive archive = Archive.open(localIndex, url, shard -> {
                String key = ArchiveFiles.shardName(shardBase, shard);
                ObjectInfo object = store.head(key);
                open.incrementAndGet();
                return new RemoteShard(store, key, object, blocks, failing, ahead, closeOne);
            });
            if (open.get() == 0) {
                stop(ahead);
                store.close();
            }
            return archive;
        } catch (IOException | RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
    }

    /** Threads for the fetches made ahead of readers: a few requests in flight, each holding its blocks. */
    private static ThreadPoolExecutor aheadExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(AHEAD_THREADS, AHEAD_THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "barecat-fetch-ahead-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Drops the fetches ahead not started and lets those under way finish for a while, so that the
     * blocks they fetched are stored whole for the next open (an interrupted write stores nothing).
     */
    private static void stop(ThreadPoolExecutor ahead) {
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

    private static void closeQuietly(ObjectStore store) {
        try {
            store.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a client: nothing to report
        }
    }

    /** A URL taken apart: {@code s3://BUCKET/KEY} or {@code http(s)://HOST[:PORT]/PATH}. */
    record Location(String scheme, String authority, String key) {
        static Location parse(String url) throws IOException {
            int colon = url.indexOf("://");
            int slash = colon < 0 ? -1 : url.indexOf('/', colon + 3);
            if (colon < 0 || slash < 0 || slash == colon + 3 || slash == url.length() - 1 || url.endsWith("/")) {
                throw new IOException(url + ": not an archive's URL (s3://BUCKET/KEY, http(s)://HOST/PATH)");
            }
            return new Location(url.substring(0, colon), url.substring(colon + 3, slash), url.substring(slash + 1));
        }
    }
}
