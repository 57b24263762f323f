package org.barecat.core;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads from an archive's shards. Every shard is opened once; reads use
 * {@link FileChannel#read(ByteBuffer, long)}, which has no shared file pointer, so any number of
 * threads may read at once.
 */
final class ShardReader implements AutoCloseable {
    private final ArchiveFiles files;
    private final FileChannel[] shards;
    private final long[] sizes;
    private final ShardReadAround readAround;

    /** Opens shards 0 to {@code lastShard}; a gap in that sequence fails the open. */
    ShardReader(ArchiveFiles files, int lastShard) throws IOException {
        this.files = files;
        this.shards = new FileChannel[lastShard + 1];
        this.sizes = new long[lastShard + 1];
        try {
            for (int i = 0; i <= lastShard; i++) {
                try {
                    shards[i] = FileChannel.open(files.shard(i), StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    throw new ArchiveFormatException(files.shard(i), "missing shard (the index has files in it)");
                }
                sizes[i] = shards[i].size();
            }
            readAround = new ShardReadAround(shards, sizes, ShardReadAround.fitsInMemory(totalSize()));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    int count() {
        return shards.length;
    }

    long size(int shard) {
        return sizes[shard];
    }

    long totalSize() {
        long total = 0;
        for (long size : sizes) {
            total += size;
        }
        return total;
    }

    /**
     * Reads exactly {@code dst.remaining()} bytes of shard {@code shard} starting at {@code position}.
     *
     * @throws EOFException when the shard ends first (a truncated shard)
     */
    void readFully(int shard, long position, ByteBuffer dst) throws IOException {
        if (shard < 0 || shard >= shards.length) {
            throw new NoSuchFileException(files.shard(Math.max(shard, 0)).toString(), null, "no such shard");
        }
        if (readAround.read(shard, position, dst)) {
            return;
        }
        FileChannel channel = shards[shard];
        long pos = position;
        long end = position + dst.remaining();
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) { // the shard's length now, not where the read stopped: that can lie well past it
                throw new EOFException(files.shard(shard) + ": shard ends at byte " + channel.size() + " (truncated"
                        + " since the archive was opened, at " + sizes[shard] + " bytes; the read needs bytes "
                        + position + " to " + end + ")");
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel channel : shards) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
