package org.barecat.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Checks the bytes a reader gets of one open file against the file's stored CRC-32C. Bytes that
 * arrive in order from byte 0 are folded into a running checksum as they are read, which costs
 * one pass of CRC-32C (hardware-assisted) over data already in memory. The read that reaches the
 * file's end is the one that fails when the checksum differs, so a reader never gets to the end of
 * a damaged file without an error.
 * <p>
 * When the bytes before the end did not all arrive in order (the reader seeks, reads are served by
 * several threads out of order, or the kernel already had some pages cached), the read that reaches
 * the end checks the whole file instead, once. Files without a stored checksum are not checked.
 * Thread-safe: a handle can have several reads in flight.
 */
public final class ReadVerifier {
    private final Archive archive;
    private final FileEntry file;
    private final CRC32C running = new CRC32C();
    /** Bytes {@code [0, inOrderUpTo)} have been folded into {@link #running}. */
    private long inOrderUpTo;
    /** CRC-32C of the whole file, once computed because the bytes did not all arrive in order. */
    private Long wholeFile;

    public ReadVerifier(Archive archive, FileEntry file) {
        this.archive = archive;
        this.file = file;
    }

    /**
     * A verifier for a file being opened. An empty file is checked at once, as no read will reach
     * its end: its stored checksum must be that of no bytes, 0.
     *
     * @throws ChecksumMismatchException for an empty file whose stored checksum is not 0
     */
    public static ReadVerifier open(Archive archive, FileEntry file) throws ChecksumMismatchException {
        Long expected = file.crc32c();
        if (file.size() == 0 && expected != null && expected != 0) {
            throw new ChecksumMismatchException(file, 0);
        }
        return new ReadVerifier(archive, file);
    }

    /** Whether there is anything to check: the file has a stored checksum. */
    public static boolean applies(FileEntry file) {
        return file.crc32c() != null;
    }

    /**
     * Accounts for {@code bytes} (position to limit), just read from the file at {@code position}.
     *
     * @throws ChecksumMismatchException when these bytes reach the end of the file and the file's
     *                                   bytes do not have its stored checksum
     */
    public void bytesRead(long position, ByteBuffer bytes) throws IOException {
        Long expected = file.crc32c();
        if (expected == null) {
            return;
        }
        long end = position + bytes.remaining();
        long actual;
        synchronized (this) {
            if (position <= inOrderUpTo && end > inOrderUpTo) {
                ByteBuffer fresh = bytes.duplicate();
                fresh.position(fresh.position() + (int) (inOrderUpTo - position));
                running.update(fresh);
                inOrderUpTo = end;
            }
            if (end < file.size()) {
                return;
            }
            if (inOrderUpTo >= file.size()) {
                actual = running.getValue();
            } else {
                if (wholeFile == null) {
                    wholeFile = archive.checksum(file);
                }
                actual = wholeFile;
            }
        }
        if (actual != expected) {
            throw new ChecksumMismatchException(file, actual);
        }
    }
}
