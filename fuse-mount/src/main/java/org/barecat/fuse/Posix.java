package org.barecat.fuse;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The few libc calls Java does not offer with their errno intact. */
final class Posix {
    /** libc, as jnr-ffi binds it. */
    public interface LibC {
        @SaveError
        int access(String path, int mode);

        int setpriority(int which, int who, int priority);
    }

    private static final int F_OK = 0;
    private static final int PRIO_PROCESS = 0;
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

    /**
     * Gives the calling thread the scheduling priority of {@code nice -n niceness}. Linux keeps a nice
     * value per thread (the tid is the "process" setpriority takes); Java's thread priorities do not
     * reach it. Best effort: where it cannot be done the thread runs as it was.
     */
    static void niceThisThread(int niceness) {
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "PID/task/TID"
            LIBC.setpriority(PRIO_PROCESS, Integer.parseInt(self.substring(self.lastIndexOf('/') + 1)), niceness);
        } catch (IOException | RuntimeException | LinkageError e) {
            // no /proc, or no such call: not worth a message
        }
    }
}
