package org.barecat.core;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** Shards read through {@link ShardSource}s: no direct I/O (the sources keep their own caches). */
final class SourceShards implements Shards {
    private final ShardSource[] sources;
    private final long[] sizes;

    SourceShards(List<ShardSource> sources) {
        this.sources = sources.toArray(new ShardSource[0]);
        this.sizes = new long[this.sources.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = this.sources[i].size();
        }
    }

    @Override
    public int count() {
        return sources.length;
    }

    @Override
    public long size(int shard) {
        return sizes[shard];
    }

    @Override
    public String name(int shard) {
        return sources[shard].name();
    }

    @Override
    public void readFully(int shard, long position, ByteBuffer dst) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = sources[shard].read(dst, pos);
            if (n < 0) {
                throw new EOFException(sources[shard].name() + ": shard ends at byte " + pos
                        + " (the read needs bytes up to " + (pos + dst.remaining()) + ")");
            }
            pos += n;
        }
    }

    @Override
    public int readDirect(int shard, long position, int length, ByteBuffer window) {
        return -1;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (ShardSource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
