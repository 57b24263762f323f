package org.barecat.fuse.kernel;

import jnr.ffi.LibraryLoader;

/**
 * Binds native libraries through jnr-ffi by their file names ({@code libc.so.6}), which the dynamic
 * loader opens at once. Given a short name ({@code c}), jnr-ffi first lists every file of each library
 * directory and matches each against a pattern, which a mount pays for at start-up.
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
