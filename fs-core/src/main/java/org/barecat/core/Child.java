package org.barecat.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A child in a directory listing, by path and kind only: what {@code ls}, {@code find} and
 * {@code os.scandir} need, read from two columns of the index instead of the whole row. The path is
 * kept as UTF-8 bytes, as the index stores it, so a listing can hand names to the kernel without
 * decoding and re-encoding each one; bytes that are not UTF-8 are replaced as a decoder would.
 */
public final class Child {
    private final byte[] path;
    private final boolean directory;

    private Child(byte[] utf8Path, boolean directory) {
        this.path = utf8Path;
        this.directory = directory;
    }

    /** A child from the bytes of a path column, made well-formed UTF-8 if they are not already. */
    static Child ofUtf8(byte[] bytes, boolean directory) {
        for (byte b : bytes) {
            if (b < 0) { // not ASCII: round-trip through a decoder, which replaces malformed sequences
                return new Child(new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), directory);
            }
        }
        return new Child(bytes, directory);
    }

    static Child of(String path, boolean directory) {
        return new Child(path.getBytes(StandardCharsets.UTF_8), directory);
    }

    /** This child with {@code prefix} (well-formed UTF-8 ending in a slash) before its path. */
    Child under(byte[] prefix) {
        byte[] p = Arrays.copyOf(prefix, prefix.length + path.length);
        System.arraycopy(path, 0, p, prefix.length, path.length);
        return new Child(p, directory);
    }

    public String path() {
        return new String(path, StandardCharsets.UTF_8);
    }

    public boolean directory() {
        return directory;
    }

    /** The path's UTF-8 bytes; not a copy: not to be changed. */
    public byte[] utf8Path() {
        return path;
    }

    /** Where the last component starts in {@link #utf8Path()}. */
    public int nameStart() {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i + 1;
            }
        }
        return 0;
    }

    /** Last path component. */
    public String name() {
        int start = nameStart();
        return new String(path, start, path.length - start, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Child c && c.directory == directory && Arrays.equals(c.path, path);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(path) * 31 + (directory ? 1 : 0);
    }

    @Override
    public String toString() {
        return (directory ? "dir " : "file ") + path();
    }
}
