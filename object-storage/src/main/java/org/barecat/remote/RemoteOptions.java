package org.barecat.remote;

import java.nio.file.Path;
import java.util.Set;

/**
 * How to reach an archive on a server and where to cache it: the {@code -o} options of a remote
 * mount. Null fields mean "as AWS's conventions say" (environment, profile files).
 *
 * @param endpoint  S3 endpoint URL ({@code -o endpoint=}); else {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}, AWS
 * @param region    S3 region ({@code -o region=})
 * @param profile   AWS profile ({@code -o profile=}); else {@code AWS_PROFILE}, {@code default}
 * @param pathStyle path-style addressing ({@code -o path_style}); chosen anyway for an endpoint on an IP address or localhost
 * @param anonymous unsigned requests, with no credentials, for a public bucket ({@code -o anonymous})
 * @param cacheDir  where the index and the shards' blocks are cached ({@code -o cache_dir=})
 * @param cacheSize bytes of shard blocks the cache keeps at most ({@code -o cache_size=})
 * @param prefetch  fetch each shard whole, in the background, once it is first read ({@code -o prefetch}),
 *                  while the shards so fetched fit in {@code cacheSize}
 */
public record RemoteOptions(String endpoint, String region, String profile, boolean pathStyle, boolean anonymous,
                            Path cacheDir, long cacheSize, boolean prefetch) {
    /** The {@code -o} keys these options are given by. */
    public static final Set<String> KEYS = Set.of("endpoint", "region", "profile", "path_style", "anonymous", "cache_dir",
            "cache_size", "prefetch");
    public static final long DEFAULT_CACHE_SIZE = 10L << 30;

    /** Everything as AWS's conventions and the defaults say. */
    public static RemoteOptions defaults() {
        return new RemoteOptions(null, null, null, false, false, defaultCacheDir(), DEFAULT_CACHE_SIZE, false);
    }

    /** {@code $XDG_CACHE_HOME/barecat}, else {@code ~/.cache/barecat}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("barecat");
    }
}
