package org.barecat.cli;

import jnr.ffi.LibraryLoader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Points a daemon's stdout and stderr away from the terminal that started it, once it no longer
 * needs to tell that terminal anything: to its log file, or to /dev/null. Java cannot reassign
 * file descriptors itself, so this calls libc through jnr-ffi.
 */
final class DaemonStreams {
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;

    /** The three libc calls needed. */
    public interface LibC {
        int open(String path, int flags, int mode);

        int dup2(int oldFd, int newFd);

        int close(int fd);
    }

    private DaemonStreams() {
    }

    /** Makes fds 1 and 2 write to {@code logFile} (appending), or to /dev/null when it is null. */
    static void detach(Path logFile) throws IOException {
        System.out.flush();
        System.err.flush();
        LibC libc = LibraryLoader.create(LibC.class).load("c");
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
