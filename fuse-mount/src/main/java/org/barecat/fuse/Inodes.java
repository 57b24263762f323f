package org.barecat.fuse;

import java.nio.charset.StandardCharsets;

/**
 * Inode numbers derived from the archive path alone, so a file has the same {@code st_ino} on
 * every mount of the same archive, on every machine. The root is 1.
 */
final class Inodes {
    static final long ROOT = 1;

    private Inodes() {
    }

    static long of(String path) {
        if (path.isEmpty()) {
            return ROOT;
        }
        long h = 0xcbf29ce484222325L; // FNV-1a over the UTF-8 bytes, then a 64-bit finaliser
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        h &= Long.MAX_VALUE; // keep it positive for tools that print it signed
        return h <= ROOT ? h + 2 : h;
    }
}
