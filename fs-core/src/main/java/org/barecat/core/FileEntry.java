package org.barecat.core;

/**
 * A regular file: its bytes are {@code size} bytes at {@code location}.
 *
 * @param crc32c CRC-32C of the contents as an unsigned 32-bit value, or {@code null}
 */
public record FileEntry(String path, ShardLocation location, long size, Long crc32c, Attributes attributes)
        implements Entry {
}
