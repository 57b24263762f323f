package org.barecat.remote;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFiles;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Opens archives on object storage ({@code s3://BUCKET/KEY}) and web servers ({@code http://},
 * {@code https://}) as {@link Archive}s: the index is copied once into the cache ({@link IndexCache})
 * and read locally, shard bytes come by ranged reads through the {@link BlockCache}. Shards are found
 * beside the index by the same names as on disk ({@code X-shard-00000}, ...; a legacy
 * {@code X-sqlite-index} index included).
 */
public final class RemoteArchives {
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
        return open(url, options, DownloadProgress.NONE);
    }

    /** {@link #open(String, RemoteOptions)}, telling {@code progress} how a download of the index advances. */
    public static Archive open(String url, RemoteOptions options, DownloadProgress progress) throws IOException {
        // the archive holds the connection through its shards
        try (RemoteArchive remote = locate(url, options, progress)) {
            return Archive.open(remote.index(), remote.indexUrl(), remote::openShard);
        }
    }

    /**
     * Finds the archive at {@code url} and brings its index into the cache; the shards are opened from
     * what this returns.
     *
     * @param progress told how a download of the index advances
     * @throws IOException as {@link #open}
     */
    public static RemoteArchive locate(String url, RemoteOptions options, DownloadProgress progress) throws IOException {
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
            java.nio.file.Path localIndex = IndexCache.copy(store, indexKey, index, options.cacheDir().resolve("index"),
                    progress);
            BlockCache blocks = new BlockCache(options.cacheDir().resolve("blocks"), options.cacheSize());
            return new RemoteArchive(url, store, indexKey, localIndex, base, blocks, options.prefetch());
        } catch (IOException | RuntimeException e) {
            closeQuietly(store);
            throw e;
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
