package org.barecat.tools;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A file's bytes in an archive as a stream, read a buffer at a time (merge and rsync copy files so). */
public final class ArchiveFileStream extends InputStream {
    private final Archive archive;
    private final FileEntry file;
    private final ByteBuffer buffer;
    private long position;

    /** @param buffer where bytes are read into from the shard (its size sets the reads'); reused */
    public ArchiveFileStream(Archive archive, FileEntry file, ByteBuffer buffer) {
        this.archive = archive;
        this.file = file;
        this.buffer = buffer.clear().limit(0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (!buffer.hasRemaining()) {
            if (position >= file.size()) {
                return -1;
            }
            buffer.clear();
            int n = archive.read(file, position, buffer);
            if (n <= 0) {
                return -1;
            }
            position += n;
            buffer.flip();
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }
}
