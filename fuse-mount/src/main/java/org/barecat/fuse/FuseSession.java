package org.barecat.fuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.types.size_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.struct.FuseOperations;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * libfuse 2's request loop, run on threads the JVM starts. libfuse's own multithreaded loop
 * (what jnr-fuse's {@code mount} runs) calls into Java from threads it creates itself, and jffi
 * attaches such a thread to the JVM and detaches it again around each call until the thread has
 * made 1,000 calls: a cost on every request of a fresh mount (about a fifth of the daemon's time in
 * a {@code find}). Here each worker is a Java thread that reads a request from the kernel and has
 * libfuse dispatch it: the same libfuse code, never an attach.
 */
final class FuseSession {
    private static final Logger log = LoggerFactory.getLogger(FuseSession.class);
    private static final int EINTR = 4;
    /** {@code struct fuse_buf} of libfuse 2.9 on LP64: size, flags, mem, fd, pos. */
    private static final int FUSE_BUF_SIZE = 40;
    private static final int FUSE_BUF_MEM = 16;
    private static final int FUSE_BUF_FD = 24;

    /** The parts of libfuse 2.9 that {@code fuse_main} is made of. */
    public interface LibFuse2 {
        Pointer fuse_setup(int argc, String[] argv, FuseOperations op, @size_t long opSize,
                           PointerByReference mountpoint, IntByReference multithreaded, Pointer userData);

        void fuse_teardown(Pointer fuse, Pointer mountpoint);

        Pointer fuse_get_session(Pointer fuse);

        Pointer fuse_session_next_chan(Pointer session, Pointer channel);

        @size_t
        long fuse_chan_bufsize(Pointer channel);

        int fuse_session_receive_buf(Pointer session, Pointer buf, Pointer channelRef);

        void fuse_session_process_buf(Pointer session, Pointer buf, Pointer channel);

        void fuse_session_exit(Pointer session);

        int fuse_chan_fd(Pointer channel);

        Pointer fuse_chan_new(Pointer ops, int fd, @size_t long bufsize, Pointer data);

        int fuse_chan_send(Pointer channel, Pointer iov, @size_t long count);
    }

    /** {@code send} of libfuse 2's {@code struct fuse_chan_ops}. */
    public interface Send {
        @jnr.ffi.annotations.Delegate
        int send(Pointer channel, Pointer iov, @size_t long count);
    }

    /** libfuse, bound once (the binding is a class jnr generates: worth loading ahead, see {@link FuseMount}). */
    static LibFuse2 load() {
        return Bound.LIB;
    }

    private static final class Bound {
        static final LibFuse2 LIB = bind();

        private static LibFuse2 bind() {
            try {
                return LibraryLoader.create(LibFuse2.class).failImmediately().load("fuse");
            } catch (LinkageError e) {
                return LibraryLoader.create(LibFuse2.class).failImmediately().load("libfuse.so.2");
            }
        }
    }

    private final LibFuse2 lib;
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Pointer fuse;
    /** The mountpoint as libfuse keeps it (freed by {@code fuse_teardown}). */
    private final Pointer mountpoint;
    private final Pointer session;
    private final Pointer channel;
    private final long bufferSize;

    private FuseSession(LibFuse2 lib, Pointer fuse, Pointer mountpoint) {
        this.lib = lib;
        this.fuse = fuse;
        this.mountpoint = mountpoint;
        this.session = lib.fuse_get_session(fuse);
        this.channel = lib.fuse_session_next_chan(session, null);
        this.bufferSize = lib.fuse_chan_bufsize(channel);
        this.cachingDirectories = directoryCachingChannel();
    }

    private static final int FUSE_BUF_IS_FD = 1 << 1;
    /** {@code fuse_in_header.opcode}, and the opcode of OPENDIR. */
    private static final int FUSE_IN_OPCODE = 4;
    private static final int FUSE_OPENDIR = 27;
    /** {@code FOPEN_KEEP_CACHE | FOPEN_CACHE_DIR} of the kernel's {@code fuse_open_out.open_flags}. */
    private static final int KEEP_AND_CACHE_DIR = (1 << 1) | (1 << 3);
    /** The callback below and the ops struct holding it, kept reachable for as long as libfuse may call it. */
    private Send opendirReply;
    private Pointer opendirOps;
    /** A channel whose replies go to the real one after one change: see {@link #directoryCachingChannel}. */
    private final Pointer cachingDirectories;

    /**
     * A channel for OPENDIR requests: libfuse 2 writes its reply to it, and it sets
     * {@code FOPEN_KEEP_CACHE | FOPEN_CACHE_DIR} in the reply before passing it on, so the kernel
     * keeps each listing it has read in its page cache and serves the next from there (libfuse 2
     * has no field for these flags; kernels since 4.20 honour them whatever the protocol version
     * libfuse speaks, older ones ignore them).
     */
    private Pointer directoryCachingChannel() {
        opendirReply = (ch, iov, count) -> {
            if (count >= 2) {
                Pointer header = iov.getPointer(0);
                if (header.getInt(4) == 0) { // fuse_out_header.error
                    Pointer open = iov.getPointer(16); // iov[1].iov_base: struct fuse_open_out
                    open.putInt(8, open.getInt(8) | KEEP_AND_CACHE_DIR);
                }
            }
            return lib.fuse_chan_send(channel, iov, count);
        };
        opendirOps = Memory.allocateDirect(runtime, 3L * runtime.addressSize(), true);
        opendirOps.putPointer(runtime.addressSize(),
                runtime.getClosureManager().getClosurePointer(Send.class, opendirReply));
        return lib.fuse_chan_new(opendirOps, lib.fuse_chan_fd(channel), bufferSize, null);
    }

    /**
     * Mounts: parses {@code args} as {@code fuse_main} does ({@code -f}, {@code -d}, {@code -o ...},
     * the mountpoint), mounts, and makes the session.
     *
     * @throws IOException when libfuse could not mount (it has printed why on stderr)
     */
    static FuseSession setup(FuseOperations operations, List<String> args) throws IOException {
        LibFuse2 lib = load();
        PointerByReference mountpoint = new PointerByReference();
        Pointer fuse = lib.fuse_setup(args.size(), args.toArray(String[]::new), operations, Struct.size(operations),
                mountpoint, new IntByReference(), null);
        if (fuse == null) {
            throw new IOException("libfuse could not mount (see its message above)");
        }
        return new FuseSession(lib, fuse, mountpoint.getValue());
    }

    /**
     * Serves requests on {@code workers} threads (this one among them; each holds one request buffer
     * of about 132 KiB) until the file system is unmounted, then tears the session down.
     *
     * @param onError run when reading requests fails: it must unmount, which ends the other workers
     */
    void loop(String threadName, int workers, Runnable onError) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        Runnable work = () -> {
            if (!work()) {
                onError.run();
            }
        };
        try {
            for (int i = 1; i < workers; i++) {
                Thread t = new Thread(work, threadName + "-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            work.run();
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            lib.fuse_teardown(fuse, mountpoint);
        }
    }

    /**
     * One worker: receive a request, have libfuse dispatch it, until the kernel ends the session.
     *
     * @return false when it ended on an error rather than an unmount
     */
    private boolean work() {
        Pointer buf = Memory.allocateDirect(runtime, FUSE_BUF_SIZE, true);
        Pointer mem = Memory.allocateDirect(runtime, bufferSize);
        Pointer channelRef = Memory.allocateDirect(runtime, runtime.addressSize(), true);
        while (true) {
            buf.putLong(0, bufferSize);
            buf.putInt(8, 0);
            buf.putPointer(FUSE_BUF_MEM, mem);
            buf.putInt(FUSE_BUF_FD, -1);
            channelRef.putPointer(0, channel);
            int res = lib.fuse_session_receive_buf(session, buf, channelRef);
            if (res == -EINTR) {
                continue;
            }
            if (res == 0) {
                return true; // the kernel ended the session: unmounted
            }
            if (res < 0) {
                log.error("reading FUSE requests failed: errno {}", -res);
                lib.fuse_session_exit(session);
                return false;
            }
            boolean inMemory = (buf.getInt(8) & FUSE_BUF_IS_FD) == 0; // else spliced: libfuse reads it
            Pointer replyTo = inMemory && mem.getInt(FUSE_IN_OPCODE) == FUSE_OPENDIR
                    ? cachingDirectories : channelRef.getPointer(0);
            lib.fuse_session_process_buf(session, buf, replyTo);
        }
    }
}
