package org.barecat.core;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One shard's bytes where they are not a local file (object storage, a web server): what
 * {@link Archive#open(java.nio.file.Path, String, Opener)} reads an archive's files from. Local
 * archives do not go through this: {@link Archive#open(java.nio.file.Path)} reads their shards itself.
 * Implementations are safe to share between threads; reads are positional.
 */
public interface ShardSource extends Closeable {
    /** The shard's name for messages (its URL). */
    String name();

    /** The shard's length in bytes, fixed while it is open. */
    long size();

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position} into {@code dst}, at least one
     * when any are asked for and {@code position} is inside the shard.
     *
     * @return the number of bytes read, -1 at or past the end of the shard
     * @throws IOException when the bytes cannot be had now (the read alone fails)
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Opens shard number {@code shard} of an archive. */
    @FunctionalInterface
    interface Opener {
        /**
         * @throws java.nio.file.NoSuchFileException naming the shard when it does not exist
         * @throws IOException                        when it cannot be opened
         */
        ShardSource open(int shard) throws IOException;
    }
}
