package org.barecat.core;

/**
 * A regular file: its bytes are {@code size} bytes at {@code location}.
 *
 * @param crc32c CRC-32C of the contents as an unsigned 32-bit value, or {@code null}
 * @param row    the rowid of the file's {@code files} row, which names it for as long as the
 *               archive is open ({@link Archive#file(long)}); {@link #NO_ROW} when not read from an
 *               index with rowids (the 0.2 layout has none) or not read at all
 */
public record FileEntry(String path, ShardLocation location, long size, Long crc32c, Attributes attributes,
                        long row) implements Entry {
    /** {@link #row} of an entry without one (SQLite never gives a row rowid 0 by itself). */
    public static final long NO_ROW = 0;

    /** A file with no row ({@link #NO_ROW}): one about to be written. */
    public FileEntry(String path, ShardLocation location, long size, Long crc32c, Attributes attributes) {
        this(path, location, size, crc32c, attributes, NO_ROW);
    }
}
