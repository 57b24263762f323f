package org.barecat.fuse;

import org.barecat.fuse.kernel.NativeLibraries;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.types.size_t;
import com.kenai.jffi.MemoryIO;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.struct.FuseOperations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * libfuse 2's request loop, run on threads the JVM starts. libfuse's own multithreaded loop
 * (what jnr-fuse's {@code mount} runs) calls into Java from threads it creates itself, and jffi
 * attaches such a thread to the JVM and detaches it again around each call until the thread has
 * made 1,000 calls: a cost on every request of a fresh mount (about a fifth of the daemon's time in
 * a {@code find}). Here each worker is a Java thread that reads a request from the kernel and has
 * libfuse dispatch it: the same libfuse code, never an attach.
 * <p>
 * Some requests are looked at before libfuse dispatches them: OPENDIR (its reply is marked for the
 * kernel to keep the listing, see {@link #directoryCachingChannel}) and READDIR, which is answered
 * here when {@link DirectoryReplies} are given: the entries are written straight into the reply, where
 * libfuse 2's filler would take a call from Java into C per entry. When directories are opened
 * without a message ({@link DirectoryReplies#opensWithoutMessage}), a READDIR names its directory by
 * node id alone: LOOKUP replies and FORGET requests are followed too, to know each directory's path
 * ({@link DirectoryNodes}).
 * <p>
 * Then files never reach libfuse, when the archive's files have rows ({@link FileReplies}): a LOOKUP
 * that finds a file is answered here with a node id made of the file's row ({@link #FILE_NODE}), and
 * every request naming such a node is answered here too. libfuse 2's high-level layer keeps a node
 * (about 190 bytes) for every entry the kernel holds, until the kernel forgets it, and with day-long
 * timeouts the kernel holds each file it looked up until memory runs short; now it holds files at no
 * cost to this process. Directories (few, and READDIR needs their paths) stay with libfuse. Without
 * rows (the 0.2 layout) libfuse answers for files too, and {@link HeldFiles} bounds what it keeps.
 * <p>
 * Requests can also be made up and answered here as if the kernel had sent them, their replies going
 * elsewhere ({@link Worker#answerOffline}): the JIT warm-up after mounting ({@link WarmUp}).
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

        int fuse_lowlevel_notify_inval_entry(Pointer channel, long parent, byte[] name, @size_t long length);
    }

    /** {@code send} of libfuse 2's {@code struct fuse_chan_ops}. */
    public interface Send {
        @jnr.ffi.annotations.Delegate
        int send(Pointer channel, Pointer iov, @size_t long count);
    }

    /**
     * READDIR answered without libfuse's filler: the file system learns libfuse's handle for each
     * directory it opens, and lists into a {@link DirentWriter}.
     */
    interface DirectoryReplies {
        /** What {@link #readdir} returns for a handle it does not know: libfuse then answers as usual. */
        int UNKNOWN_HANDLE = Integer.MIN_VALUE;

        /**
         * Whether opendir answers {@code ENOSYS}, which kernels since 5.1 take as "every opendir
         * succeeds, keep each listing": they send no OPENDIR or RELEASEDIR again, and each READDIR
         * comes with handle 0, for {@link #readdir(String, long, BarecatFs.DirentSink)}.
         */
        boolean opensWithoutMessage();

        /** Lists directory {@code fusePath}, opened without a message, from {@code offset} into {@code sink}; 0 or a negative errno. */
        int readdir(String fusePath, long offset, BarecatFs.DirentSink sink);

        /** The opendir just answered successfully on this thread has {@code kernelHandle} (libfuse's). */
        void opened(long kernelHandle);

        /** Lists the directory from {@code offset} into {@code sink}; 0, a negative errno, or {@link #UNKNOWN_HANDLE}. */
        int readdir(long kernelHandle, long offset, BarecatFs.DirentSink sink);
    }

    /**
     * The requests about files, answered here: libfuse never hears of a file (see {@link #FILE_NODE}).
     * A file is found by path for a LOOKUP, then by the {@link FileEntry#row} its node id carries.
     */
    interface FileReplies {
        /** The entry at {@code fusePath} ({@code /a/b}), as getattr finds it, or null; throws where getattr answers EIO. */
        Entry lookup(String fusePath) throws IOException;

        /** The file whose row is {@code row}, or null when there is none. */
        FileEntry file(long row) throws IOException;

        /** What {@code stat} shows for {@code entry}. */
        void attributes(Entry entry, BarecatFs.StatSink sink);

        /** A handle for a read-only open of {@code file} with {@code flags}, or a negative errno ({@code -ENOSYS}: opens need no message). */
        long open(FileEntry file, int flags);

        /** Reads the file at {@code row} (or open as {@code handle}, when not 0) into native memory: bytes read or a negative errno. */
        int read(long row, long handle, long address, long size, long offset);

        void release(long handle);

        /** getxattr of {@code entry}: the value's length, or a negative errno; {@code size} 0 asks for the length alone. */
        int getxattr(Entry entry, String name, Pointer value, long size);

        /** listxattr of {@code entry}, as {@link #getxattr}. */
        int listxattr(Entry entry, Pointer list, long size);

        /** Logs a failure of {@code operation} on {@code path} (once per path); returns {@code -EIO}. */
        int failure(String operation, String path, Throwable e);
    }

    /**
     * Writes the kernel's {@code struct fuse_dirent} records (inode, offset of the next entry, name
     * length, type, the name, zero padding to 8 bytes) into a READDIR reply, until it is full.
     */
    static final class DirentWriter implements BarecatFs.DirentSink {
        private static final int HEADER = 24;
        private static final int DT_DIR = 4;
        private static final int DT_REG = 8;
        private ByteBuffer out;

        DirentWriter reset(ByteBuffer out) {
            this.out = out;
            return this;
        }

        @Override
        public boolean add(byte[] utf8, int from, int to, boolean directory, long ino, long nextOffset) {
            int n = to - from;
            int size = (HEADER + n + 7) & ~7;
            int p = out.position();
            if (out.limit() - p < size) {
                return true;
            }
            out.putLong(p, ino).putLong(p + 8, nextOffset).putInt(p + 16, n).putInt(p + 20, directory ? DT_DIR : DT_REG);
            out.position(p + HEADER);
            out.put(utf8, from, n);
            while (out.position() < p + size) {
                out.put((byte) 0);
            }
            return false;
        }

        /** Bytes written so far. */
        int length() {
            return out.position();
        }
    }

    /** libfuse, bound once (the binding is a class jnr generates: worth loading ahead, see {@link FuseMount}). */
    static LibFuse2 load() {
        return Bound.LIB;
    }

    private static final class Bound {
        static final LibFuse2 LIB = NativeLibraries.load(LibFuse2.class, "libfuse.so.2", "fuse");
    }

    private final LibFuse2 lib;
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Pointer fuse;
    /** The mountpoint as libfuse keeps it (freed by {@code fuse_teardown}). */
    private final Pointer mountpoint;
    private final Pointer session;
    private final Pointer channel;
    private final long bufferSize;

    private FuseSession(LibFuse2 lib, Pointer fuse, Pointer mountpoint, DirectoryReplies directories,
                        FileReplies files, MountOptions.ReplySettings settings, Runnable onRequest) {
        this.directories = directories;
        this.settings = settings;
        this.onRequest = onRequest;
        this.lib = lib;
        this.fuse = fuse;
        this.mountpoint = mountpoint;
        this.session = lib.fuse_get_session(fuse);
        this.channel = lib.fuse_session_next_chan(session, null);
        this.bufferSize = lib.fuse_chan_bufsize(channel);
        this.cachingDirectories = directoryCachingChannel(channel);
        this.nodes = directories != null && directories.opensWithoutMessage() ? new DirectoryNodes() : null;
        this.files = nodes == null ? null : files;
        this.heldFiles = nodes == null || this.files != null ? null : new HeldFiles(Integer.getInteger("barecat.heldFiles", HELD_FILES),
                parent -> nodes.pathOf(parent) != null,
                (parent, name) -> lib.fuse_lowlevel_notify_inval_entry(channel, parent, name, name.length),
                "barecat-held-files");
    }

    private static final int FUSE_BUF_IS_FD = 1 << 1;
    /** {@code fuse_in_header.opcode}, and the opcodes looked at here or made up by {@link WarmUp}. */
    private static final int FUSE_IN_OPCODE = 4;
    static final int FUSE_LOOKUP = 1;
    static final int FUSE_FORGET = 2;
    private static final int FUSE_GETATTR = 3;
    private static final int FUSE_SETATTR = 4;
    private static final int FUSE_OPEN = 14;
    private static final int FUSE_READ = 15;
    private static final int FUSE_WRITE = 16;
    private static final int FUSE_STATFS = 17;
    private static final int FUSE_RELEASE = 18;
    private static final int FUSE_SETXATTR = 21;
    private static final int FUSE_GETXATTR = 22;
    private static final int FUSE_LISTXATTR = 23;
    private static final int FUSE_REMOVEXATTR = 24;
    private static final int FUSE_INIT = 26;
    static final int FUSE_OPENDIR = 27;
    static final int FUSE_READDIR = 28;
    static final int FUSE_RELEASEDIR = 29;
    private static final int FUSE_BATCH_FORGET = 42;
    private static final int FUSE_FALLOCATE = 43;
    private static final long ROOT = 1; // FUSE_ROOT_ID
    /** {@code struct fuse_in_header}: len, opcode, unique, nodeid, uid, gid, pid, padding; the request's arguments follow. */
    static final int IN_HEADER = 40;
    /** Offsets in a request: {@code fuse_in_header.unique}, then {@code fuse_read_in}'s fh, offset and size. */
    private static final int FUSE_IN_UNIQUE = 8;
    private static final int FUSE_IN_NODEID = 16;
    private static final int READ_IN_FH = IN_HEADER;
    private static final int READ_IN_OFFSET = IN_HEADER + 8;
    private static final int READ_IN_SIZE = IN_HEADER + 16;
    /**
     * Offset of {@code attr.mode} in {@code struct fuse_entry_out}: after nodeid, generation, two
     * valid times and their nanoseconds (40 bytes), and attr's ino, size, blocks, three times and
     * their nanoseconds (60).
     */
    private static final int ENTRY_OUT_MODE = 40 + 60;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int EROFS = 30;
    private static final int ENOSYS = 38;
    /** {@code FOPEN_KEEP_CACHE} of {@code fuse_open_out.open_flags}: what libfuse sets under {@code kernel_cache}. */
    private static final int FOPEN_KEEP_CACHE = 1 << 1;
    /**
     * Sizes of the replies made here, as protocol 7.9 and later have them (libfuse 2.9 speaks 7.19):
     * {@code struct fuse_attr} (ino, size, blocks, three times, their nanoseconds, mode, nlink, uid,
     * gid, rdev, blksize, padding), {@code fuse_entry_out} (nodeid, generation, entry and attribute
     * validity, their nanoseconds, the attributes), {@code fuse_attr_out} (validity, nanoseconds,
     * dummy, the attributes), {@code fuse_open_out} and {@code fuse_getxattr_out}.
     */
    private static final int ATTR_SIZE = 88;
    private static final int ENTRY_OUT_SIZE = 40 + ATTR_SIZE;
    private static final int ATTR_OUT_SIZE = 16 + ATTR_SIZE;
    private static final int OPEN_OUT_SIZE = 16;
    private static final int GETXATTR_OUT_SIZE = 8;
    /** {@code struct fuse_out_header}: len, error, unique; the reply's payload follows. */
    static final int OUT_HEADER = 16;
    /** The largest READDIR reply answered here (kernels ask for a page at a time); larger asks get this much. */
    private static final int MAX_DIRENTS = 64 * 1024;
    private final DirectoryReplies directories;
    /** The directories the kernel holds node ids for, when they are opened without a message; else null. */
    private final DirectoryNodes nodes;
    /**
     * How many file entries the kernel may hold at once, when {@link #nodes} are kept and libfuse
     * answers for files (no {@link #files}): each costs libfuse about 190 bytes until the kernel
     * forgets it (see {@link HeldFiles}): 50 MB at most.
     * Dropping entries costs: an lstat of 200,000 files held at most 32,768 took the daemon twice
     * the CPU and the kernel three times its own, and found none held on the next pass. So a tree
     * of up to this many files stays whole in the kernel from one pass to the next. The system
     * property {@code barecat.heldFiles} sets another bound (tests use a small one).
     */
    static final int HELD_FILES = 262_144;
    /** Bounds the file entries the kernel holds, when {@link #nodes} are kept and libfuse keeps a node per file; else null. */
    private final HeldFiles heldFiles;
    /**
     * Answers the requests about files, when {@link #nodes} are kept and files have rows; else null,
     * and libfuse answers them.
     */
    private final FileReplies files;
    /**
     * The bit that marks the node id of a file answered through {@link #files}: its other bits are the
     * file's row. libfuse hands out node ids counting up from 2, far below it.
     */
    static final long FILE_NODE = 1L << 62;
    private final MountOptions.ReplySettings settings;
    /** LOOKUPs answered with a file node (for tests). */
    private final AtomicLong fileLookups = new AtomicLong();
    /** Run as each request arrives, before it is answered; not for INIT, the kernel's own handshake. */
    private final Runnable onRequest;
    /** {@code FOPEN_KEEP_CACHE | FOPEN_CACHE_DIR} of the kernel's {@code fuse_open_out.open_flags}. */
    private static final int KEEP_AND_CACHE_DIR = (1 << 1) | (1 << 3);
    /** The callbacks of the channels made here, and the ops structs holding them: libfuse may call them until teardown. */
    private final List<Object> keptReachable = java.util.Collections.synchronizedList(new ArrayList<>());
    /** A channel whose replies go to the real one after one change: see {@link #directoryCachingChannel}. */
    private final Pointer cachingDirectories;
    /** Whether the kernel's INIT has been answered: libfuse answers any other request before it with EIO. */
    private volatile boolean initialized;
    /** Held while a request made up here is answered ({@link Worker#answerOffline}) and to tear the session down. */
    private final Object teardown = new Object();
    private volatile boolean tornDown;

    /**
     * A channel for OPENDIR requests: libfuse 2 writes its reply to it, and it sets
     * {@code FOPEN_KEEP_CACHE | FOPEN_CACHE_DIR} in the reply before passing it on to {@code target},
     * so the kernel keeps each listing it has read in its page cache and serves the next from there
     * (libfuse 2 has no field for these flags; kernels since 4.20 honour them whatever the protocol
     * version libfuse speaks, older ones ignore them).
     */
    private Pointer directoryCachingChannel(Pointer target) {
        return newChannel((ch, iov, count) -> {
            if (count >= 2) {
                Pointer header = iov.getPointer(0);
                if (header.getInt(4) == 0) { // fuse_out_header.error
                    Pointer open = iov.getPointer(16); // iov[1].iov_base: struct fuse_open_out
                    open.putInt(8, open.getInt(8) | KEEP_AND_CACHE_DIR);
                    if (directories != null) {
                        directories.opened(open.getLong(0)); // fuse_open_out.fh: libfuse's handle
                    }
                }
            }
            return lib.fuse_chan_send(target, iov, count);
        });
    }

    /**
     * A channel for the replies to one worker's LOOKUP requests (see {@link DirectoryNodes}): a reply
     * naming a directory counts one more lookup of it, from before the kernel can see the reply until
     * a FORGET; one the kernel did not take back (the request was interrupted) is undone, as libfuse
     * undoes it in its own table.
     */
    private Pointer lookupChannel(Pointer target, Worker worker) {
        return newChannel((ch, iov, count) -> {
            boolean pending = worker.lookupPending;
            worker.lookupPending = false;
            long node = 0;
            byte[] file = null;
            if (pending && count >= 2 && iov.getPointer(0).getInt(4) == 0) { // fuse_out_header.error
                Pointer entry = iov.getPointer(2L * runtime.addressSize()); // iov[1].iov_base: struct fuse_entry_out
                if (entry.getLong(0) == 0) { // nodeid 0: a negative entry
                    // nothing held
                } else if ((entry.getInt(ENTRY_OUT_MODE) & S_IFMT) == S_IFDIR) {
                    String path = worker.lookedUpPath();
                    if (path != null) {
                        node = entry.getLong(0);
                        nodes.lookedUp(node, path);
                    }
                } else if (worker.offline == null) { // made-up requests' replies do not reach the kernel
                    file = worker.lookedUpName();
                }
            }
            int result = lib.fuse_chan_send(target, iov, count);
            if (node != 0 && result == -ENOENT) {
                nodes.forgot(node, 1);
            }
            if (file != null && heldFiles != null && result != -ENOENT) {
                heldFiles.lookedUp(worker.mem.getLong(FUSE_IN_NODEID), file);
            }
            return result;
        });
    }

    /** Follows a FORGET or BATCH_FORGET request in {@code request} for {@link #nodes}. */
    private void forget(int opcode, Pointer request) {
        if (opcode == FUSE_FORGET) {
            nodes.forgot(request.getLong(FUSE_IN_NODEID), request.getLong(IN_HEADER)); // fuse_forget_in.nlookup
        } else {
            int n = request.getInt(IN_HEADER); // fuse_batch_forget_in.count, then struct fuse_forget_one {nodeid, nlookup}
            for (int i = 0; i < n; i++) {
                long at = IN_HEADER + 8 + 16L * i;
                nodes.forgot(request.getLong(at), request.getLong(at + 8));
            }
        }
    }

    /** A channel on the kernel's descriptor whose {@code send} is {@code send}: libfuse writes replies through it. */
    private Pointer newChannel(Send send) {
        keptReachable.add(send);
        Pointer ops = Memory.allocateDirect(runtime, 3L * runtime.addressSize(), true);
        ops.putPointer(runtime.addressSize(), runtime.getClosureManager().getClosurePointer(Send.class, send));
        keptReachable.add(ops);
        return lib.fuse_chan_new(ops, lib.fuse_chan_fd(channel), bufferSize, null);
    }

    /**
     * Mounts: parses {@code args} as {@code fuse_main} does ({@code -f}, {@code -d}, {@code -o ...},
     * the mountpoint), mounts, and makes the session.
     *
     * @param directories answers READDIR requests before libfuse sees them, or null to leave them to libfuse
     * @param files       answers the requests about files (when directories are opened without a
     *                    message), or null to leave them to libfuse
     * @param settings    what libfuse applies to its replies, for the replies made here
     * @param onRequest   run on the worker's thread as each request arrives, except INIT, which the kernel
     *                    sends by itself (it may come after the mount shows); it must be quick
     * @throws IOException when libfuse could not mount (it has printed why on stderr)
     */
    static FuseSession setup(FuseOperations operations, DirectoryReplies directories, FileReplies files,
                             MountOptions.ReplySettings settings, Runnable onRequest, List<String> args)
            throws IOException {
        LibFuse2 lib = load();
        PointerByReference mountpoint = new PointerByReference();
        Pointer fuse = lib.fuse_setup(args.size(), args.toArray(String[]::new), operations, Struct.size(operations),
                mountpoint, new IntByReference(), null);
        if (fuse == null) {
            throw new IOException("libfuse could not mount (see its message above)");
        }
        return new FuseSession(lib, fuse, mountpoint.getValue(), directories, files, settings, onRequest);
    }

    /**
     * How many workers wait in the kernel for the next request when nothing is being read: one. The
     * others wait for a turn ({@link #awaitTurn}). A request that comes while the only worker waiting
     * there is busy stays queued in the kernel until it is back, and it takes the request without
     * going to sleep: a lone reader's requests (an lstat at a time) are answered by one thread that
     * sleeps only when it finds none queued, as squashfuse's single thread does. With every worker waiting in
     * the kernel, each request woke another sleeping thread (the kernel hands a request to the one
     * that has waited longest), so every request cost a sleep and a wake-up. A cold lstat of the
     * small tree took the daemon 744 ticks of CPU a pass that way, against 546 (squashfuse: 544), and
     * 20,200 voluntary context switches for the images tree against 15,000-17,800 (squashfuse's
     * 15,800-17,400).
     * <p>
     * A READ may wait for the disk, so a worker taking one when no other is waiting hands a turn to
     * a worker that waits for one; and when READs come at once, more workers wait in the kernel
     * from then on ({@link #readers}). Other requests hand out no turn: one that waits for the disk
     * (an index not yet cached, on a fresh NFS client) holds up those that come meanwhile, until the
     * index read-ahead has it cached, in the first seconds after mounting.
     */
    static final int WAITING_WORKERS = 1;
    /**
     * How long {@link #readers} stays raised after it was last raised: a second, then one fewer a
     * second, down to {@link #WAITING_WORKERS}.
     */
    private static final long READERS_HOLD_NANOS = 1_000_000_000L;
    /**
     * How many workers wait in the kernel for the next request before the others wait for a turn:
     * {@link #WAITING_WORKERS}, one more each time a READ found none waiting while another READ was
     * being answered (so as many as READs come at once, up to every worker), and one fewer each
     * second after that stops.
     */
    private volatile int readers = WAITING_WORKERS;
    /** {@link System#nanoTime} when {@link #readers} last changed. */
    private volatile long readersChanged;
    /** Turns handed out, and how often {@link #readers} was raised (for tests). */
    private final AtomicLong turnsHandedOut = new AtomicLong();
    private final AtomicLong readersRaised = new AtomicLong();
    /** READ requests being answered. */
    private final AtomicInteger readsInFlight = new AtomicInteger();
    /** Workers in, or on their way into, a read of the next request from the kernel. */
    private final AtomicInteger reading = new AtomicInteger();
    /** A turn to read the next request, for a worker waiting in {@link #awaitTurn}; handed out when {@link #reading} falls to 0. */
    private final Semaphore turns = new Semaphore(0);
    /** The most workers {@link #loop} runs. */
    private volatile int workers = 1;
    /** Set when the kernel ends the session (or reading fails): workers waiting for a turn end. */
    private volatile boolean ended;

    /**
     * Serves requests on up to {@code workers} threads (this one among them; each holds one request
     * buffer of about 132 KiB), {@link #readers} of them waiting for the next request, until the file
     * system is unmounted, then tears the session down.
     *
     * @param onError run when reading requests fails: it must unmount, which ends the other workers
     */
    void loop(String threadName, int workers, Runnable onError) throws InterruptedException {
        this.workers = workers;
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
            if (heldFiles != null) {
                heldFiles.stop();
            }
            synchronized (teardown) {
                tornDown = true;
                lib.fuse_teardown(fuse, mountpoint);
            }
        }
    }

    /**
     * One worker: receive a request, have libfuse dispatch it, until the kernel ends the session.
     *
     * @return false when it ended on an error rather than an unmount
     */
    private boolean work() {
        Worker w = new Worker();
        while (true) {
            if (!awaitTurn()) {
                return true;
            }
            w.describe(bufferSize);
            w.channelRef.putPointer(0, channel);
            int res = lib.fuse_session_receive_buf(session, w.buf, w.channelRef);
            boolean inMemory = (w.buf.getInt(8) & FUSE_BUF_IS_FD) == 0; // else spliced: libfuse reads it
            int opcode = res > 0 && inMemory ? w.mem.getInt(FUSE_IN_OPCODE) : 0;
            boolean read = opcode == FUSE_READ;
            int readsNow = read ? readsInFlight.incrementAndGet() : 0;
            if (reading.decrementAndGet() == 0 && (read || (res > 0 && !inMemory))) { // a READ, or one not looked at
                noneWaiting(readsNow > 1);
            }
            if (res == -EINTR) {
                continue;
            }
            if (res <= 0) {
                ended = true;
                turns.release(workers); // the workers waiting for a turn end
                if (res == 0) {
                    return true; // the kernel ended the session: unmounted
                }
                log.error("reading FUSE requests failed: errno {}", -res);
                lib.fuse_session_exit(session);
                return false;
            }
            if (opcode != FUSE_INIT) {
                onRequest.run();
            }
            try {
                w.answer(opcode, w.channelRef.getPointer(0), cachingDirectories);
            } finally {
                if (read) {
                    readsInFlight.decrementAndGet();
                }
            }
            if (opcode == FUSE_INIT) {
                initialized = true;
            }
        }
    }

    /**
     * Counts the calling worker among those reading the next request, at once while fewer than
     * {@link #readers} are, else once a turn is handed out; false when the session has ended.
     */
    private boolean awaitTurn() {
        while (true) {
            int cap = readers;
            if (cap > WAITING_WORKERS && System.nanoTime() - readersChanged > READERS_HOLD_NANOS) {
                readers = --cap; // not quite exact when two workers do this at once: it need not be
                readersChanged = System.nanoTime();
            }
            int now = reading.get();
            if (now >= cap) {
                turns.acquireUninterruptibly();
                if (ended) {
                    return false;
                }
                reading.incrementAndGet();
                return true;
            }
            if (reading.compareAndSet(now, now + 1)) {
                return !ended;
            }
        }
    }

    /**
     * The last worker waiting for a request took a READ (or a request not looked at): more requests
     * may come before it is done, so a worker waiting for a turn gets one (one turn unused at most);
     * when {@code raise} (another READ is being answered), one more worker waits in the kernel from
     * now on.
     */
    private void noneWaiting(boolean raise) {
        turnsHandedOut.incrementAndGet();
        if (turns.availablePermits() == 0) {
            turns.release();
        }
        if (raise) {
            readersRaised.incrementAndGet();
            int now = readers;
            if (now < workers) {
                readers = now + 1;
            }
            readersChanged = System.nanoTime();
        }
    }

    /** A worker's buffers: the request, and the reply to a READDIR answered here. */
    final class Worker {
        private final Pointer buf = Memory.allocateDirect(runtime, FUSE_BUF_SIZE, true);
        /** The request: {@code struct fuse_in_header}, then its arguments. */
        final Pointer mem = Memory.allocateDirect(runtime, bufferSize);
        private final Pointer channelRef = Memory.allocateDirect(runtime, runtime.addressSize(), true);
        /** Room for a reply's payload: a READDIR's, or a READ's of up to the request buffer's size. */
        private final int replyRoom = (int) Math.max(MAX_DIRENTS, bufferSize);
        private final Pointer reply = Memory.allocateDirect(runtime, OUT_HEADER + replyRoom, true);
        private final ByteBuffer dirents = MemoryIO.getInstance().newDirectByteBuffer(reply.address() + OUT_HEADER, MAX_DIRENTS)
                .order(ByteOrder.nativeOrder());
        private final DirentWriter writer = new DirentWriter();
        private final Pointer iov = Memory.allocateDirect(runtime, 2L * runtime.addressSize(), true);
        /** Writes a {@code struct fuse_attr} into {@link #reply} at {@link #attrAt}. */
        private final BarecatFs.StatSink attrWriter = this::putAttr;
        private int attrAt;
        /** For {@link #answerOffline}: where its replies go, directly and through {@link #directoryCachingChannel}; else null. */
        private final Pointer offline;
        private final Pointer offlineDirectories;
        /** Where replies to LOOKUP go when {@link #nodes} are kept ({@link #lookupChannel}), else null. */
        private final Pointer lookups;
        /**
         * Whether a LOOKUP is being answered (see {@link #lookupChannel}): its path is made from the
         * request, still in {@link #mem}, only when the reply names a directory.
         */
        private boolean lookupPending;

        /** A worker for requests from the kernel. */
        private Worker() {
            offline = null;
            offlineDirectories = null;
            lookups = nodes == null ? null : lookupChannel(channel, this);
        }

        /** A worker for made-up requests ({@link #answerOffline}), whose replies go to {@code replies}. */
        private Worker(Send replies) {
            offline = newChannel(replies);
            offlineDirectories = directoryCachingChannel(offline);
            lookups = nodes == null ? null : lookupChannel(offline, this);
        }

        /** Sets {@link #buf} to describe {@link #mem}, holding {@code size} bytes (or room for them). */
        private void describe(long size) {
            buf.putLong(0, size);
            buf.putInt(8, 0);
            buf.putPointer(FUSE_BUF_MEM, mem);
            buf.putInt(FUSE_BUF_FD, -1);
        }

        /** The request in {@link #mem}, answered to {@code to}, an OPENDIR to {@code opendirTo}. */
        private void answer(int opcode, Pointer to, Pointer opendirTo) {
            if (opcode == FUSE_READDIR && directories != null && answerReaddir(to)) {
                return;
            }
            if (files != null) {
                long node = mem.getLong(FUSE_IN_NODEID);
                try {
                    if ((node & FILE_NODE) != 0 && opcode != FUSE_STATFS) {
                        answerFileRequest(opcode, node & ~FILE_NODE, to);
                        return;
                    }
                    if (opcode == FUSE_LOOKUP && answerFileLookup(to)) {
                        return;
                    }
                } catch (RuntimeException | Error e) { // the worker goes on: the request gets EIO
                    sendError(to, files.failure("request " + opcode, "node " + node, e));
                    return;
                }
                if (opcode == FUSE_STATFS) {
                    mem.putLong(FUSE_IN_NODEID, ROOT); // the same for every node, and libfuse knows the root
                } else if (opcode == FUSE_BATCH_FORGET && !dropFileNodes()) {
                    return;
                }
            }
            Pointer replyTo = opcode == FUSE_OPENDIR ? opendirTo : to;
            if (nodes != null) {
                if (opcode == FUSE_LOOKUP) {
                    lookupPending = true;
                    replyTo = lookups;
                } else if (opcode == FUSE_FORGET || opcode == FUSE_BATCH_FORGET) {
                    forget(opcode, mem);
                }
            }
            try {
                lib.fuse_session_process_buf(session, buf, replyTo);
            } finally {
                lookupPending = false;
            }
        }

        /**
         * Answers the LOOKUP request in {@link #mem} when it finds a file (or nothing), naming the file
         * by {@link #FILE_NODE} and its row; false, having answered nothing, for a directory or a
         * name libfuse must look up (".", "..", a parent not known).
         */
        private boolean answerFileLookup(Pointer to) {
            String path = lookedUpPath();
            if (path == null) {
                return false;
            }
            Entry entry;
            try {
                entry = files.lookup(path);
            } catch (IOException | RuntimeException | Error e) {
                return sendError(to, files.failure("getattr", path, e));
            }
            if (entry instanceof FileEntry f && f.row() > 0 && f.row() < FILE_NODE) {
                putEntryOut(f.row() | FILE_NODE, f, settings.entrySeconds(), settings.attrSeconds());
                fileLookups.incrementAndGet();
                return send(to, ENTRY_OUT_SIZE);
            }
            if (entry == null && settings.negativeSeconds() > 0) {
                putEntryOut(0, null, settings.negativeSeconds(), 0);
                return send(to, ENTRY_OUT_SIZE);
            }
            return entry == null ? sendError(to, -ENOENT) : false;
        }

        /**
         * Answers the request in {@link #mem} about the file at {@code row} (its node id less
         * {@link #FILE_NODE}). Nothing about a file reaches libfuse, which has no node for it: what is not
         * answered here as the file system would is {@code ENOSYS}, or {@code EROFS} for a change.
         */
        private void answerFileRequest(int opcode, long row, Pointer to) {
            switch (opcode) {
                case FUSE_FORGET -> { } // nothing held: no reply
                case FUSE_GETATTR -> {
                    FileEntry file = fileAt(row, to);
                    if (file != null) {
                        reply.putLong(OUT_HEADER, seconds(settings.attrSeconds()));
                        reply.putInt(OUT_HEADER + 8, nanos(settings.attrSeconds()));
                        reply.putInt(OUT_HEADER + 12, 0);
                        attrAt = OUT_HEADER + 16;
                        files.attributes(file, attrWriter);
                        send(to, ATTR_OUT_SIZE);
                    }
                }
                case FUSE_OPEN -> {
                    FileEntry file = fileAt(row, to);
                    if (file != null) {
                        long handle = files.open(file, mem.getInt(IN_HEADER)); // fuse_open_in.flags
                        if (handle < 0) {
                            sendError(to, (int) handle);
                        } else {
                            reply.putLong(OUT_HEADER, handle);
                            reply.putInt(OUT_HEADER + 8, FOPEN_KEEP_CACHE);
                            reply.putInt(OUT_HEADER + 12, 0);
                            send(to, OPEN_OUT_SIZE);
                        }
                    }
                }
                case FUSE_READ -> { // at most 32 pages, under protocol 7.19: within replyRoom, so never cut short
                    long size = Math.min(mem.getInt(READ_IN_SIZE) & 0xffffffffL, replyRoom);
                    int n = files.read(row, mem.getLong(READ_IN_FH), reply.address() + OUT_HEADER, size,
                            mem.getLong(READ_IN_OFFSET));
                    if (n < 0) {
                        sendError(to, n);
                    } else {
                        send(to, n);
                    }
                }
                case FUSE_RELEASE -> {
                    files.release(mem.getLong(IN_HEADER)); // fuse_release_in.fh
                    send(to, 0);
                }
                case FUSE_GETXATTR, FUSE_LISTXATTR -> answerXattr(opcode, row, to);
                case FUSE_SETATTR, FUSE_WRITE, FUSE_SETXATTR, FUSE_REMOVEXATTR, FUSE_FALLOCATE -> sendError(to, -EROFS);
                default -> sendError(to, -ENOSYS);
            }
        }

        /** The file at {@code row}; null, having answered the request with an error, when there is none or it cannot be had. */
        private FileEntry fileAt(long row, Pointer to) {
            try {
                FileEntry file = files.file(row);
                if (file == null) {
                    sendError(to, -ENOENT);
                }
                return file;
            } catch (IOException | RuntimeException | Error e) {
                sendError(to, files.failure("getattr", "file row " + row, e));
                return null;
            }
        }

        /** GETXATTR ({@code fuse_getxattr_in}: size, padding, then the name) or LISTXATTR of the file at {@code row}. */
        private void answerXattr(int opcode, long row, Pointer to) {
            FileEntry file = fileAt(row, to);
            if (file == null) {
                return;
            }
            long size = mem.getInt(IN_HEADER) & 0xffffffffL;
            Pointer value = reply.slice(OUT_HEADER, replyRoom);
            long room = Math.min(size, replyRoom);
            int n;
            if (opcode == FUSE_GETXATTR) {
                String name = mem.getString(IN_HEADER + 8, mem.getInt(0) - IN_HEADER - 8, StandardCharsets.UTF_8);
                n = files.getxattr(file, name, value, room);
            } else {
                n = files.listxattr(file, value, room);
            }
            if (n < 0) {
                sendError(to, n);
            } else if (size == 0) {
                reply.putInt(OUT_HEADER, n); // fuse_getxattr_out.size
                reply.putInt(OUT_HEADER + 4, 0);
                send(to, GETXATTR_OUT_SIZE);
            } else {
                send(to, n);
            }
        }

        /**
         * Takes the file nodes out of the BATCH_FORGET request in {@link #mem} (libfuse would not know
         * them); whether any entries are left for libfuse.
         */
        private boolean dropFileNodes() {
            int n = mem.getInt(IN_HEADER); // fuse_batch_forget_in.count, then struct fuse_forget_one {nodeid, nlookup}
            int kept = 0;
            for (int i = 0; i < n; i++) {
                long at = IN_HEADER + 8 + 16L * i;
                long node = mem.getLong(at);
                if ((node & FILE_NODE) == 0) {
                    long to = IN_HEADER + 8 + 16L * kept++;
                    mem.putLong(to, node);
                    mem.putLong(to + 8, mem.getLong(at + 8));
                }
            }
            if (kept == n) {
                return true;
            }
            int length = IN_HEADER + 8 + 16 * kept;
            mem.putInt(IN_HEADER, kept);
            mem.putInt(0, length); // fuse_in_header.len
            buf.putLong(0, length); // fuse_buf.size
            return kept > 0;
        }

        /** Writes a {@code fuse_entry_out} for node {@code node} (0: a negative entry, {@code entry} null) into {@link #reply}. */
        private void putEntryOut(long node, Entry entry, double entryValid, double attrValid) {
            reply.putLong(OUT_HEADER, node);
            reply.putLong(OUT_HEADER + 8, 0); // generation
            reply.putLong(OUT_HEADER + 16, seconds(entryValid));
            reply.putLong(OUT_HEADER + 24, seconds(attrValid));
            reply.putInt(OUT_HEADER + 32, nanos(entryValid));
            reply.putInt(OUT_HEADER + 36, nanos(attrValid));
            attrAt = OUT_HEADER + 40;
            if (entry == null) {
                reply.setMemory(attrAt, ATTR_SIZE, (byte) 0);
            } else {
                files.attributes(entry, attrWriter);
            }
        }

        /** {@link BarecatFs.StatSink} into a {@code struct fuse_attr} at {@link #attrAt} of {@link #reply}. */
        private void putAttr(long ino, int mode, int nlink, long size, long blocks, long uid, long gid, long mtimeNs,
                             int blksize) {
            int at = attrAt;
            long sec = Math.floorDiv(mtimeNs, 1_000_000_000L);
            int nsec = (int) Math.floorMod(mtimeNs, 1_000_000_000L);
            reply.putLong(at, ino);
            reply.putLong(at + 8, size);
            reply.putLong(at + 16, blocks);
            reply.putLong(at + 24, sec); // atime, mtime, ctime
            reply.putLong(at + 32, sec);
            reply.putLong(at + 40, sec);
            reply.putInt(at + 48, nsec);
            reply.putInt(at + 52, nsec);
            reply.putInt(at + 56, nsec);
            reply.putInt(at + 60, mode);
            reply.putInt(at + 64, nlink);
            reply.putInt(at + 68, (int) uid);
            reply.putInt(at + 72, (int) gid);
            reply.putInt(at + 76, 0); // rdev
            reply.putInt(at + 80, blksize);
            reply.putInt(at + 84, 0);
        }

        /** Sends the reply in {@link #reply} with a payload of {@code length} bytes to the request in {@link #mem}; true. */
        private boolean send(Pointer to, int length) {
            return sendReply(to, 0, OUT_HEADER + length);
        }

        /** Sends {@code error} (a negative errno) as the reply to the request in {@link #mem}; true. */
        private boolean sendError(Pointer to, int error) {
            return sendReply(to, error, OUT_HEADER);
        }

        private boolean sendReply(Pointer to, int error, int length) {
            reply.putInt(0, length);
            reply.putInt(4, error);
            reply.putLong(8, mem.getLong(FUSE_IN_UNIQUE));
            iov.putPointer(0, reply);
            iov.putLong(runtime.addressSize(), length);
            lib.fuse_chan_send(to, iov, 1); // fails only when the request was interrupted: nothing to do
            return true;
        }

        /** The path the LOOKUP request in {@link #mem} asks for, or null (a parent not known, "." or ".."). */
        private String lookedUpPath() {
            byte[] name = lookedUpName();
            return name == null ? null : nodes.childPath(mem.getLong(FUSE_IN_NODEID), name, name.length);
        }

        /** The name (UTF-8) the LOOKUP request in {@link #mem} asks for, or null ("." or ".."). */
        private byte[] lookedUpName() {
            int length = mem.getInt(0) - IN_HEADER - 1; // fuse_in_header.len; the name ends with a NUL
            if (length <= 0 || length > 255) {
                return null;
            }
            byte[] name = new byte[length];
            mem.get(IN_HEADER, name, 0, length);
            if (name[0] == '.' && (length == 1 || (length == 2 && name[1] == '.'))) {
                return null;
            }
            return name;
        }

        /**
         * Answers a request made up by the caller in {@link #mem} ({@code length} bytes, header
         * included) as one from the kernel, the replies going to this worker's {@code replies}. Runs the
         * same code a request from the kernel runs, which is what {@link WarmUp} is for.
         *
         * @return false, having answered nothing, when the session has not started (no INIT yet) or has ended
         */
        boolean answerOffline(int length) {
            if (!initialized) {
                return false;
            }
            synchronized (teardown) {
                if (tornDown) {
                    return false;
                }
                describe(length);
                answer(mem.getInt(FUSE_IN_OPCODE), offline, offlineDirectories);
                return true;
            }
        }

        /** Answers the READDIR request in {@link #mem} to {@code to}, unless the handle is not one the file system knows. */
        private boolean answerReaddir(Pointer to) {
            Pointer request = mem;
            dirents.clear().limit(Math.min(request.getInt(READ_IN_SIZE), MAX_DIRENTS));
            long handle = request.getLong(READ_IN_FH);
            long offset = request.getLong(READ_IN_OFFSET);
            int error;
            if (handle == 0 && nodes != null) { // opened without a message: named by node id alone
                long node = request.getLong(FUSE_IN_NODEID);
                String path = nodes.pathOf(node);
                if (path == null) {
                    log.error("READDIR of node {}, which no lookup has named", node);
                }
                error = path == null ? -EIO : directories.readdir(path, offset, writer.reset(dirents));
            } else {
                error = directories.readdir(handle, offset, writer.reset(dirents));
                if (error == DirectoryReplies.UNKNOWN_HANDLE) {
                    return false;
                }
            }
            return sendReply(to, error, OUT_HEADER + (error == 0 ? writer.length() : 0));
        }
    }

    /** Whole seconds of a timeout given in seconds, as libfuse counts them. */
    private static long seconds(double t) {
        return (long) t;
    }

    /** The nanoseconds past {@link #seconds}. */
    private static int nanos(double t) {
        return (int) ((t - (long) t) * 1.0e9);
    }

    /**
     * Waits until the kernel's INIT has been answered (the mount shows before it comes), up to
     * {@code timeoutMs} or the session's end; whether it has.
     */
    boolean awaitInitialized(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!initialized && !tornDown && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return initialized;
    }

    /** Directories whose node ids the kernel holds, as far as READDIR needs to know (for tests); -1 when not kept. */
    int directoryNodesHeld() {
        return nodes == null ? -1 : nodes.size();
    }

    /** Turns handed out to workers waiting for one, since mounting (see {@link #awaitTurn}; for tests). */
    long turnsHandedOut() {
        return turnsHandedOut.get();
    }

    /** How often more workers were set to wait for requests because READs came at once (see {@link #readers}; for tests). */
    long readersRaised() {
        return readersRaised.get();
    }

    /** LOOKUPs answered with a node id made of a file's row, since mounting (for tests). */
    long fileLookups() {
        return fileLookups.get();
    }

    /** File entries the kernel dropped when told to (see {@link HeldFiles}); -1 when none are bounded. */
    long heldFilesDropped() {
        return heldFiles == null ? -1 : heldFiles.dropped();
    }

    /** A worker for {@link Worker#answerOffline}, its replies going to {@code replies}; for one thread at a time. */
    Worker offlineWorker(Send replies) {
        return new Worker(replies);
    }
}
