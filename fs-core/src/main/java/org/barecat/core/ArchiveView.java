package org.barecat.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * What a mount or a server reads: one {@link Archive}, or several shown as one tree ({@link ArchiveUnion}).
 * Every method is as {@link Archive}'s of the same name describes it. Safe to share between threads.
 */
public interface ArchiveView extends AutoCloseable {
    /** What the mount is named after: the index's path or URL (of the first archive, for several). */
    String name();

    /** The default mtime of entries that have none, in ns. */
    long indexMtimeNs();

    Optional<Entry> lookup(String path) throws IOException;

    /** The file whose {@link FileEntry#row} is {@code row}; empty when there is none. */
    Optional<FileEntry> file(long row) throws IOException;

    Listing<Entry> list(String dir) throws IOException;

    Listing<Entry> listDirectories(String dir) throws IOException;

    Listing<Child> listChildren(String dir) throws IOException;

    /**
     * The entries with a row of their own below directory {@code dir}, in path order, from just after
     * {@code after} ({@code null}: from the start), so that a search resumes where it stopped.
     */
    EntryScan scanBelow(String dir, String after) throws IOException;

    int read(FileEntry file, long position, ByteBuffer dst) throws IOException;

    /** See {@link Archive#readWhole}; {@code window} as {@link Archive#DIRECT_ALIGNMENT} asks. */
    int readWhole(FileEntry file, ByteBuffer window) throws IOException;

    void checkLocation(FileEntry file) throws IOException;

    long checksum(FileEntry file) throws IOException;

    ArchiveStats stats() throws IOException;

    /**
     * Where {@code file}'s bytes are stored: the archive that holds it and the location in that
     * archive's own shards (which a union renumbers in {@link FileEntry#location}).
     */
    Origin origin(FileEntry file);

    /** The archive a file is stored in, and its location in that archive's shards. */
    record Origin(Archive archive, ShardLocation location) {
    }

    @Override
    void close() throws IOException;
}
