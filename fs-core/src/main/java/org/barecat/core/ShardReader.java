package org.barecat.core;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads from an archive's shards. Every shard is opened when the archive is, for
 * ordinary reads and, where its file system allows, for direct I/O ({@link #readDirect}); reads use
 * {@link FileChannel#read(ByteBuffer, long)}, which has no shared file pointer, so any number of
 * threads may read at once.
 */
final class ShardReader implements Shards {
    private static final Logger log = LoggerFactory.getLogger(ShardReader.class);
    /** What direct reads are aligned to: offsets, lengths and memory. */
    static final int DIRECT_ALIGNMENT = 4096;

    private final ArchiveFiles files;
    private final FileChannel[] shards;
    /** The same shards opened for direct I/O, or null where the file system takes none. */
    private final FileChannel[] direct;
    private final long[] sizes;
    private final ShardReadAround readAround;

    /** Opens shards 0 to {@code lastShard}; a gap in that sequence fails the open. */
    ShardReader(ArchiveFiles files, int lastShard) throws IOException {
        this.files = files;
        this.shards = new FileChannel[lastShard + 1];
        this.direct = new FileChannel[lastShard + 1];
        this.sizes = new long[lastShard + 1];
        try {
            for (int i = 0; i <= lastShard; i++) {
                try {
                    shards[i] = FileChannel.open(files.shard(i), StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    throw new ArchiveFormatException(files.shard(i), "missing shard (the index has files in it)");
                }
                sizes[i] = shards[i].size();
                direct[i] = openDirect(files.shard(i));
            }
            readAround = new ShardReadAround(shards, sizes, ShardReadAround.fitsInMemory(totalSize()));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * The shard opened for direct I/O, or null where its file system takes none (tmpfs, squashfs) or
     * aligns it to more than {@link #DIRECT_ALIGNMENT} (NFS aligns it to its transfer size).
     */
    private static FileChannel openDirect(Path shard) {
        try {
            long block = Files.getFileStore(shard).getBlockSize();
            if (block <= 0 || block > DIRECT_ALIGNMENT || DIRECT_ALIGNMENT % block != 0) {
                return null;
            }
            return FileChannel.open(shard, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("{}: no direct I/O ({})", shard, e.toString());
            return null;
        }
    }

    /**
     * Reads {@code length} bytes of shard {@code shard} at {@code position} by direct I/O, around the
     * page cache: the aligned blocks that hold them go into {@code window} from its start (an address
     * aligned to {@link #DIRECT_ALIGNMENT}, with room for {@code length + 2 * DIRECT_ALIGNMENT} bytes).
     *
     * @return where in {@code window} the bytes start, or -1 (nothing read) when the shard takes no direct I/O
     * @throws EOFException when the shard ends first (a truncated shard)
     */
    @Override
    public int readDirect(int shard, long position, int length, ByteBuffer window) throws IOException {
        FileChannel channel = shard >= 0 && shard < direct.length ? direct[shard] : null;
        if (channel == null) {
            return -1;
        }
        long start = position - position % DIRECT_ALIGNMENT;
        long end = position + length;
        int skew = (int) (position - start);
        window.clear().limit((int) ((end - start + DIRECT_ALIGNMENT - 1) / DIRECT_ALIGNMENT * DIRECT_ALIGNMENT));
        while (window.position() < skew + length) {
            int n = channel.read(window, start + window.position());
            if (n <= 0 || window.position() % DIRECT_ALIGNMENT != 0) {
                break; // the shard's end (a last block may end there, short, with all the bytes asked for)
            }
        }
        if (window.position() < skew + length) {
            throw new EOFException(files.shard(shard) + ": shard ends at byte " + channel.size() + " (truncated"
                    + " since the archive was opened, at " + sizes[shard] + " bytes; the read needs bytes "
                    + position + " to " + end + ")");
        }
        return skew;
    }

    @Override
    public int count() {
        return shards.length;
    }

    @Override
    public long size(int shard) {
        return sizes[shard];
    }

    @Override
    public String name(int shard) {
        return files.shard(shard).toString();
    }

    /**
     * Reads exactly {@code dst.remaining()} bytes of shard {@code shard} starting at {@code position}.
     *
     * @throws EOFException when the shard ends first (a truncated shard)
     */
    @Override
    public void readFully(int shard, long position, ByteBuffer dst) throws IOException {
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
        for (FileChannel channel : direct) {
            if (channel != null) {
                channel.close();
            }
        }
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
