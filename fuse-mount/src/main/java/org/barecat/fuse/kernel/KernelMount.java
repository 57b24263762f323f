package org.barecat.fuse.kernel;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A FUSE mount made by libfuse 2 ({@code fuse_mount}): as root with mount(2), otherwise through the
 * setuid {@code fusermount}, which hands back the connection's descriptor. libfuse does only this
 * and the unmount; {@link Session} serves the connection.
 */
public final class KernelMount implements AutoCloseable {
    /** The three calls of libfuse 2 used here, and the one that frees what it parsed. */
    public interface LibFuse {
        Pointer fuse_mount(String mountpoint, Pointer args);

        void fuse_unmount(String mountpoint, Pointer channel);

        int fuse_chan_fd(Pointer channel);

        void fuse_opt_free_args(Pointer args);
    }

    private static final class Bound {
        static final LibFuse LIB = NativeLibraries.load(LibFuse.class, "libfuse.so.2", "fuse");
    }

    private final String mountpoint;
    private final Pointer fuseChannel;
    private final KernelChannel channel;
    private boolean closed;

    private KernelMount(String mountpoint, Pointer fuseChannel) {
        this.mountpoint = mountpoint;
        this.fuseChannel = fuseChannel;
        this.channel = new KernelChannel(Bound.LIB.fuse_chan_fd(fuseChannel));
    }

    /** Binds libfuse now (a class jnr generates): worth doing ahead of a mount. */
    public static void load() {
        Bound.LIB.hashCode();
    }

    /**
     * Mounts at {@code mountpoint} (an absolute, real path) with these comma-separated mount options
     * ({@code ro,fsname=...,allow_other}: the kernel's and fusermount's, escaped as libfuse parses them).
     *
     * @throws IOException when libfuse could not mount (it has printed why on stderr)
     */
    public static KernelMount mount(Path mountpoint, String options) throws IOException {
        Runtime runtime = Runtime.getSystemRuntime();
        String[] argv = {"barecat", "-o", options};
        int pointer = runtime.addressSize();
        Pointer strings = Memory.allocateDirect(runtime, (argv.length + 1) * pointer, true);
        Pointer[] kept = new Pointer[argv.length];
        for (int i = 0; i < argv.length; i++) {
            byte[] bytes = argv[i].getBytes(StandardCharsets.UTF_8);
            kept[i] = Memory.allocateDirect(runtime, bytes.length + 1, true);
            kept[i].put(0, bytes, 0, bytes.length);
            strings.putPointer((long) i * pointer, kept[i]);
        }
        // struct fuse_args: int argc; char **argv; int allocated
        Pointer args = Memory.allocateDirect(runtime, 3L * pointer, true);
        args.putInt(0, argv.length);
        args.putPointer(pointer, strings);
        args.putInt(2L * pointer, 0);
        Pointer fuseChannel = Bound.LIB.fuse_mount(mountpoint.toString(), args);
        Bound.LIB.fuse_opt_free_args(args);
        if (fuseChannel == null) {
            throw new IOException(mountpoint + ": libfuse could not mount (see its message above)");
        }
        java.lang.ref.Reference.reachabilityFence(kept);
        return new KernelMount(mountpoint.toString(), fuseChannel);
    }

    public Channel channel() {
        return channel;
    }

    /**
     * Closes the connection, unmounting first if it is still mounted (libfuse asks the descriptor: once
     * the kernel has ended the session it only closes it, so a mount made at the same place since is
     * left alone).
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Bound.LIB.fuse_unmount(mountpoint, fuseChannel);
        }
    }
}
