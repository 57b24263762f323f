package org.barecat.tools.write;

import org.barecat.core.Attributes;
import org.barecat.core.FileEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Where entries go when an archive is written: a new archive ({@link ArchiveWriter}) or an
 * existing one being appended to ({@link ArchiveAppender}). Not thread-safe: one thread adds.
 * {@link #close()} makes everything added visible at once; {@link #abort()} leaves the archive as
 * it was before (a new archive: nothing at all).
 */
public interface ArchiveSink extends AutoCloseable {
    /** Adds a directory with its metadata (its ancestors are created as needed). */
    void addDirectory(String path, Attributes attributes) throws IOException;

    /**
     * Adds a file of exactly {@code size} bytes read from {@code data}. When {@code data} ends
     * early nothing is recorded, the sink stays usable and an {@link java.io.EOFException} says so.
     */
    FileEntry add(String path, InputStream data, long size, Attributes attributes) throws IOException;

    /**
     * Adds a file of the bytes {@code data} gives before it ends, {@code maxSize} at most: for a source
     * that may change while it is read. The entry's size and checksum are those of the bytes stored.
     */
    FileEntry addUpTo(String path, InputStream data, long maxSize, Attributes attributes) throws IOException;

    /**
     * Adds a file whose bytes (the remaining bytes of {@code data}) were read and checksummed
     * already, e.g. by another thread.
     *
     * @param crc32c CRC-32C of those bytes
     */
    FileEntry add(String path, ByteBuffer data, long crc32c, Attributes attributes) throws IOException;

    /**
     * Whether an {@code add} of this file path would be skipped without reading any bytes
     * (appending with "skip existing"): callers need not read such files.
     */
    default boolean skips(String path) throws IOException {
        return false;
    }

    /** Makes everything added so far part of the archive. */
    @Override
    void close() throws IOException;

    /** Gives up: removes what this sink wrote. A no-op once {@link #close()} has succeeded. */
    void abort();
}
