package org.barecat.fuse.kernel;

import jnr.ffi.LastError;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The kernel's side of a mount: its {@code /dev/fuse} descriptor, read with read(2) (one request per
 * call) and written with write(2) (one reply per call), straight from and into native buffers.
 */
final class KernelChannel implements Channel {
    /**
     * read(2) and write(2), addresses passed as 64-bit integers: on the LP64 systems this runs on a
     * pointer and a long are passed alike, and jnr then marshals nothing.
     */
    public interface LibC {
        @SaveError
        long read(int fd, long buffer, long count);

        @SaveError
        long write(int fd, long buffer, long count);
    }

    private static final LibC LIBC = NativeLibraries.libc(LibC.class);
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private final int fd;

    KernelChannel(int fd) {
        this.fd = fd;
    }

    @Override
    public int receive(NativeBuffer into) {
        long n = LIBC.read(fd, into.address(), into.capacity());
        return n < 0 ? -LastError.getLastError(RUNTIME) : (int) n;
    }

    @Override
    public int send(NativeBuffer from, int offset, int length) {
        long n = LIBC.write(fd, from.address() + offset, length);
        return n < 0 ? -LastError.getLastError(RUNTIME) : 0;
    }
}
