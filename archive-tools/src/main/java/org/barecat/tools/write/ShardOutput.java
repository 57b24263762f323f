package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ShardLocation;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Appends file bytes to an archive's shards: at the end of the current shard, or at the start of
 * a new one when the next file would pass the size limit (a file larger than the limit gets a
 * shard of its own). Remembers what it created or extended so that {@link #rollBack()} can undo
 * it. Not thread-safe.
 */
final class ShardOutput implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final ArchiveFiles files;
    private final long sizeLimit;
    private final List<Path> created = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final byte[] copyBuffer = new byte[1 << 16];
    private int shard;
    private long position;
    /** End of the last file written whole in the current shard: what {@link #finish} keeps. */
    private long completeEnd;
    private FileChannel channel;
    /** Shard this output started in when appending to an existing one, and its length then; -1 for none. */
    private final int extendedShard;
    private final long extendedFrom;

    private ShardOutput(ArchiveFiles files, long sizeLimit, int shard, long position, FileChannel channel) {
        this.files = files;
        this.sizeLimit = sizeLimit;
        this.shard = shard;
        this.position = position;
        this.completeEnd = position;
        this.channel = channel;
        this.extendedShard = channel == null ? -1 : shard;
        this.extendedFrom = position;
    }

    /** Output for a new archive: the first byte written goes to a new shard 0. */
    static ShardOutput forNewArchive(ArchiveFiles files, long sizeLimit) {
        return new ShardOutput(files, sizeLimit, -1, 0, null);
    }

    /**
     * Output that continues at byte {@code end} of shard {@code lastShard} of an existing archive
     * (creating the shard when it does not exist), cutting off what the shard holds after that byte;
     * {@code end} -1 continues after whatever the shard holds.
     */
    static ShardOutput appendingTo(ArchiveFiles files, long sizeLimit, int lastShard, long end) throws IOException {
        Path path = files.shard(lastShard);
        boolean existed = Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        long start = end < 0 ? channel.size() : end;
        if (channel.size() > start) {
            channel.truncate(start);
        }
        channel.position(start);
        ShardOutput out = new ShardOutput(files, sizeLimit, lastShard, start, channel);
        if (!existed) {
            out.created.add(path);
        }
        return out;
    }

    /** Number of the shard the next file would go to if it fits; -1 before the first. */
    int shard() {
        return shard;
    }

    /** Makes sure a shard exists even when no file was written (an empty archive has shard 0). */
    void ensureShard() throws IOException {
        if (channel == null) {
            nextShard();
        }
    }

    /** Where a file's bytes went, and how many there were. */
    record Placed(ShardLocation location, long size) {
    }

    /**
     * Writes exactly {@code size} bytes of {@code data} and returns where they start. When {@code data}
     * ends first, the bytes already written stay behind as an unused gap and an {@link EOFException}
     * names how many arrived.
     */
    ShardLocation write(String name, InputStream data, long size, CRC32C crc) throws IOException {
        return write(name, data, size, crc, true).location();
    }

    /**
     * Writes {@code size} bytes of {@code data}, or with {@code exact} false those it gives before it
     * ends (then they are the file's bytes, not a gap); returns where they start and how many there were.
     */
    Placed write(String name, InputStream data, long size, CRC32C crc, boolean exact) throws IOException {
        ShardLocation at = placeFor(size);
        long remaining = size;
        try {
            while (remaining > 0) {
                int n = data.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, remaining));
                if (n < 0) {
                    if (!exact) {
                        break;
                    }
                    throw new EOFException(name + ": source ended after " + (size - remaining) + " of " + size
                            + " bytes");
                }
                crc.update(copyBuffer, 0, n);
                put(ByteBuffer.wrap(copyBuffer, 0, n));
                remaining -= n;
            }
        } finally {
            position += size - remaining;
        }
        completeEnd = position;
        return new Placed(at, size - remaining);
    }

    /** Writes the remaining bytes of {@code data} and returns where they start. */
    ShardLocation write(ByteBuffer data) throws IOException {
        long size = data.remaining();
        ShardLocation at = placeFor(size);
        put(data);
        position += size;
        completeEnd = position;
        return at;
    }

    private ShardLocation placeFor(long size) throws IOException {
        if (channel == null || (position > 0 && size > sizeLimit - position)) {
            nextShard();
        }
        return new ShardLocation(shard, position);
    }

    private void put(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            if (buffer.position() == 0 && data.remaining() >= buffer.capacity()) {
                try {
                    while (data.hasRemaining()) {
                        channel.write(data);
                    }
                } catch (IOException e) {
                    throw shardFailure(e);
                }
                return;
            }
            int n = Math.min(buffer.remaining(), data.remaining());
            ByteBuffer part = data.slice(data.position(), n);
            buffer.put(part);
            data.position(data.position() + n);
        }
    }

    /** Writes out buffered bytes. */
    void flush() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw shardFailure(e);
        }
        buffer.clear();
    }

    /**
     * A write to the current shard that failed (a full disk, say), naming the shard: a channel's own
     * exceptions name no file, and the caller's message would otherwise name the input.
     */
    private FileSystemException shardFailure(IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            return fse;
        }
        FileSystemException failure = new FileSystemException(files.shard(shard).toString(), null, e.getMessage());
        failure.initCause(e);
        return failure;
    }

    private void nextShard() throws IOException {
        if (channel != null) {
            flush();
            channel.close();
        }
        shard++;
        Path next = files.shard(shard);
        channel = FileChannel.open(next, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        created.add(next);
        position = 0;
        completeEnd = 0;
    }

    /**
     * Flushes and, when {@code durable}, forces the bytes to the device, then closes. The part of a file
     * whose source ended early is cut off when nothing came after it: bytes at a shard's end that belong
     * to no file are what an interrupted write leaves, and verification reports them.
     */
    void finish(boolean durable) throws IOException {
        if (channel != null) {
            flush();
            try {
                if (position > completeEnd) {
                    channel.truncate(completeEnd);
                }
                if (durable) {
                    channel.force(false);
                }
                channel.close();
            } catch (IOException e) {
                throw shardFailure(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        finish(false);
    }

    /** Undoes this output: deletes the shards it created and cuts the one it extended back. */
    void rollBack() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // being thrown away
        }
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
        if (extendedShard >= 0) {
            try (FileChannel c = FileChannel.open(files.shard(extendedShard), StandardOpenOption.WRITE)) {
                c.truncate(extendedFrom);
            } catch (IOException ignored) {
                // best effort: bytes past the index's files belong to no one
            }
        }
    }
}
