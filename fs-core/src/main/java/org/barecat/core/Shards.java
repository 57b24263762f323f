package org.barecat.core;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open archive's shards, as {@link Archive} reads them: local files ({@link ShardReader}) or
 * {@link ShardSource}s ({@link SourceShards}).
 */
interface Shards extends AutoCloseable {
    int count();

    long size(int shard);

    default long totalSize() {
        long total = 0;
        for (int shard = 0; shard < count(); shard++) {
            total += size(shard);
        }
        return total;
    }

    /** Shard {@code shard}'s name for messages. */
    String name(int shard);

    /**
     * Reads exactly {@code dst.remaining()} bytes of shard {@code shard} starting at {@code position}.
     *
     * @throws java.io.EOFException when the shard ends first
     */
    void readFully(int shard, long position, ByteBuffer dst) throws IOException;

    /** See {@link ShardReader#readDirect}: -1, having read nothing, where there is no direct I/O. */
    int readDirect(int shard, long position, int length, ByteBuffer window) throws IOException;

    @Override
    void close() throws IOException;
}
