package org.barecat.fuse.kernel;

import jnr.ffi.LibraryLoader;

/**
 * Binds native libraries through jnr-ffi by their file names ({@code libc.so.6}), which the dynamic
 * loader opens at once. Given a short name ({@code c}), jnr-ffi first lists every file of each library
 * directory and matches it against a pattern (some 3,700 files on Debian; about 15,000 matches for
 * the four bindings a mount made, in its first 0.8 s).
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /** Binds {@code api} to the C library. */
    public static <T> T libc(Class<T> api) {
        return load(api, "libc.so.6", "c");
    }

    /** Binds {@code api} to the first of {@code names} that loads; throws the first one's error if none does. */
    public static <T> T load(Class<T> api, String... names) {
        LinkageError first = null;
        for (String name : names) {
            try {
                return LibraryLoader.create(api).failImmediately().load(name);
            } catch (LinkageError e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }
}
