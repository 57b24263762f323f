package org.barecat.fuse;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

import java.nio.file.Path;

/** The few libc calls Java does not offer with their errno intact. */
final class Posix {
    /** libc, as jnr-ffi binds it. */
    public interface LibC {
        @SaveError
        int access(String path, int mode);
    }

    private static final int F_OK = 0;
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private Posix() {
    }

    /**
     * The errno with which {@code access(path, F_OK)} fails, or 0 when it succeeds. Unlike Java's
     * exceptions, whose messages depend on the locale, this tells ENOTCONN from EACCES and EIO.
     */
    static int accessErrno(Path path) {
        return LIBC.access(path.toString(), F_OK) == 0 ? 0 : LastError.getLastError(Runtime.getRuntime(LIBC));
    }
}
