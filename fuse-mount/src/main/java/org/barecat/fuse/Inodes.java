package org.barecat.fuse;

/**
 * Inode numbers derived from the archive path alone, so a file has the same {@code st_ino} on
 * every mount of the same archive, on every machine: FNV-1a over the path's UTF-8 bytes with a
 * 64-bit finaliser. The root is 1. Computed without allocating (readdir calls it per entry).
 */
final class Inodes {
    static final long ROOT = 1;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Inodes() {
    }

    static long of(String path) {
        if (path.isEmpty()) {
            return ROOT;
        }
        long h = FNV_OFFSET;
        int n = path.length();
        for (int i = 0; i < n; i++) {
            int c = path.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | c >> 6)) * FNV_PRIME;
                h = (h ^ (0x80 | c & 0x3f)) * FNV_PRIME;
            } else if (Character.isHighSurrogate((char) c) && i + 1 < n
                    && Character.isLowSurrogate(path.charAt(i + 1))) {
                int cp = Character.toCodePoint((char) c, path.charAt(++i));
                h = (h ^ (0xf0 | cp >> 18)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >> 12 & 0x3f)) * FNV_PRIME;
                h = (h ^ (0x80 | cp >> 6 & 0x3f)) * FNV_PRIME;
                h = (h ^ (0x80 | cp & 0x3f)) * FNV_PRIME;
            } else {
                int cp = Character.isSurrogate((char) c) ? '?' : c; // a lone surrogate encodes as '?'
                if (cp < 0x80) {
                    h = (h ^ cp) * FNV_PRIME;
                } else {
                    h = (h ^ (0xe0 | cp >> 12)) * FNV_PRIME;
                    h = (h ^ (0x80 | cp >> 6 & 0x3f)) * FNV_PRIME;
                    h = (h ^ (0x80 | cp & 0x3f)) * FNV_PRIME;
                }
            }
        }
        return finish(h);
    }

    /** The hash state after {@code prefix} (UTF-8): what {@link #of(long, byte[], int)} continues from. */
    static long state(byte[] prefix) {
        return update(FNV_OFFSET, prefix, 0, prefix.length);
    }

    /**
     * {@link #of(String)} of the UTF-8 path {@code path}, given the state after its first {@code from}
     * bytes: a listing hashes its directory's part once, then only each child's name.
     */
    static long of(long state, byte[] path, int from) {
        return path.length == 0 ? ROOT : of(state, path, from, path.length);
    }

    /** {@link #of(long, byte[], int)} of a child whose name is {@code bytes[from..to)}, given the state after its directory's child prefix. */
    static long of(long state, byte[] bytes, int from, int to) {
        return finish(update(state, bytes, from, to));
    }

    private static long update(long h, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ (bytes[i] & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        h &= Long.MAX_VALUE; // keep it positive for tools that print it signed
        return h <= ROOT ? h + 2 : h;
    }
}
