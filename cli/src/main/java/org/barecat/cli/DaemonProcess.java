package org.barecat.cli;

import org.barecat.fuse.kernel.NativeLibraries;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a background daemon needs of libc that Java cannot do itself (called through jnr-ffi):
 * taking SIGINT back when it was started ignoring it (as a shell starts background jobs), and
 * pointing its stdout and stderr away from the terminal that started it once it no longer needs
 * to tell that terminal anything.
 */
final class DaemonProcess {
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int SIGINT = 2;
    private static final long SIG_DFL = 0;

    /** The libc calls needed. */
    public interface LibC {
        long signal(int signal, long handler);

        int open(String path, int flags, int mode);

        int dup2(int oldFd, int newFd);

        int close(int fd);
    }

    private DaemonProcess() {
    }

    private static LibC libc() {
        return Bound.LIBC;
    }

    /** Bound on first use, once (each binding is a class jnr-ffi generates). */
    private static final class Bound {
        static final LibC LIBC = NativeLibraries.libc(LibC.class);
    }

    /**
     * Restores the default action of SIGINT, so that a handler can be installed for it: a shell
     * starts background commands ({@code &}) with SIGINT ignored, and the JVM leaves ignored
     * signals alone. Called only then: binding libc is a visible part of a mount's start.
     */
    static void acceptInterrupts() {
        libc().signal(SIGINT, SIG_DFL);
    }

    /** Makes fds 1 and 2 write to {@code logFile} (appending), or to /dev/null when it is null. */
    static void detach(Path logFile) throws IOException {
        System.out.flush();
        System.err.flush();
        LibC libc = libc();
        String target = logFile == null ? "/dev/null" : logFile.toAbsolutePath().toString();
        int fd = libc.open(target, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0) {
            throw new IOException(target + ": cannot open for the daemon's log");
        }
        libc.dup2(fd, 1);
        libc.dup2(fd, 2);
        libc.close(fd);
    }
}
