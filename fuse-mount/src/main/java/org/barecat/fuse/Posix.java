package org.barecat.fuse;

import org.barecat.fuse.kernel.NativeLibraries;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** The few libc calls Java does not offer with their errno intact. */
final class Posix {
    /** libc, as jnr-ffi binds it. */
    public interface LibC {
        @SaveError
        int statfs(String path, @Out byte[] buf);

        int setpriority(int which, int who, int priority);

        int getsid(int pid);

        int getpid();

        int geteuid();
    }

    /** More than {@code struct statfs} takes on any 64-bit Linux (120 bytes). */
    private static final int STRUCT_STATFS_ROOM = 256;
    private static final int PRIO_PROCESS = 0;
    private static final Path AUTOGROUP = Path.of("/proc/self/autogroup");
    private static final LibC LIBC = NativeLibraries.libc(LibC.class);

    private Posix() {
    }

    /**
     * The errno with which {@code statfs(path)} fails, or 0 when it succeeds. On a FUSE mount it is
     * always asked of the daemon, never answered from the kernel's caches. Unlike Java's exceptions,
     * whose messages depend on the locale, this tells ENOTCONN from EACCES and EIO.
     */
    static int statfsErrno(Path path) {
        return LIBC.statfs(path.toString(), new byte[STRUCT_STATFS_ROOM]) == 0 ? 0
                : LastError.getLastError(Runtime.getRuntime(LIBC));
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

    /**
     * The nice value of this process's scheduling autogroup, if the process leads a session of its own
     * (as the daemon barecat-mount starts with setsid does) and the kernel has autogroups; empty
     * otherwise. A process in someone else's session (a mount with -f run from a shell) must leave the
     * group alone: it is the whole shell's.
     */
    static OptionalInt ownSessionGroupNice() {
        try {
            if (!isSessionLeader()) {
                return OptionalInt.empty();
            }
            // "/autogroup-2469 nice 0"; empty for a session in the root group (autogroups off, or a
            // container's first session): then there is no group of our own to lower
            String[] fields = Files.readString(AUTOGROUP).trim().split(" ");
            return OptionalInt.of(Integer.parseInt(fields[fields.length - 1]));
        } catch (IOException | RuntimeException | LinkageError e) {
            return OptionalInt.empty();
        }
    }

    /** Whether this process runs as root. */
    static boolean isRoot() {
        return LIBC.geteuid() == 0;
    }

    /** This process's id. */
    static int pid() {
        return LIBC.getpid();
    }

    /** Whether this process leads its session (its session id is its process id). */
    static boolean isSessionLeader() {
        return LIBC.getsid(0) == LIBC.getpid();
    }

    /**
     * Sets the nice value of this process's autogroup; false when the kernel refused. Unprivileged
     * processes may raise it at will and lower it back to 0, but change one at most once per 100 ms
     * system-wide (EAGAIN in between).
     */
    static boolean setOwnSessionGroupNice(int niceness) {
        try {
            Files.writeString(AUTOGROUP, Integer.toString(niceness));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
