package org.barecat.tools.verify;

import org.barecat.core.ShardSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local shard file as a {@link ShardSource}, so that the verifier reads local and remote shards alike. */
final class FileShard implements ShardSource {
    private final Path file;
    private final FileChannel channel;
    private final long size;

    private FileShard(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /** @throws java.nio.file.NoSuchFileException when there is no such file */
    static FileShard open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new FileShard(file, channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
