package org.barecat.core;

import java.io.IOException;

/** A file's bytes do not have the CRC-32C its index row records: the shard is damaged, or the row is wrong. */
public class ChecksumMismatchException extends IOException {
    public ChecksumMismatchException(FileEntry file, long actual) {
        super(file.path() + ": CRC-32C mismatch (the index says " + String.format("%08x", file.crc32c())
                + ", the bytes have " + String.format("%08x", actual) + ")");
    }
}
