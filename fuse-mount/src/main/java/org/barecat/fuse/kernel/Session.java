package org.barecat.fuse.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.barecat.fuse.kernel.Abi.BATCH_FORGET_IN;
import static org.barecat.fuse.kernel.Abi.FORGET_IN;
import static org.barecat.fuse.kernel.Abi.FORGET_ONE;
import static org.barecat.fuse.kernel.Abi.GETXATTR_IN;
import static org.barecat.fuse.kernel.Abi.GETXATTR_OUT;
import static org.barecat.fuse.kernel.Abi.INIT_IN;
import static org.barecat.fuse.kernel.Abi.INIT_OUT;
import static org.barecat.fuse.kernel.Abi.OPEN_IN;
import static org.barecat.fuse.kernel.Abi.READ_IN;
import static org.barecat.fuse.kernel.Abi.RELEASE_IN;

/**
 * Serves one FUSE connection: workers read requests from a {@link Channel}, decode them, call the
 * {@link Filesystem}, and write its typed answers back as the kernel's structs. This is the only
 * place that speaks the protocol; every request takes the same path, traced or not.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** What a request buffer holds: the largest request we take is a few hundred bytes (the kernel wants 8 KiB at least). */
    static final int REQUEST_BUFFER = 16 * 1024;
    /** {@code max_write}: nothing is ever written, so the least the kernel accepts. */
    private static final int MAX_WRITE = 4096;
    /** Returned by a request's handler when the protocol wants no reply (FORGET, INTERRUPT). */
    private static final int NO_REPLY = 1;
    private static final int FAILURES_LOGGED = 100;

    /**
     * What to ask of the kernel at INIT, beyond what every mount wants.
     *
     * @param maxMinor      the newest protocol minor to agree to (lower it to behave as on an older kernel)
     * @param readdirPlus   ask for READDIRPLUS (listings that carry each entry's attributes), adaptively
     * @param maxReadahead  the most bytes the kernel reads ahead per file, 0 for the kernel's own
     * @param maxBackground asynchronous requests (reads ahead) the kernel keeps in flight, 0 for its own
     */
    public record Settings(int maxMinor, boolean readdirPlus, int maxReadahead, int maxBackground) {
        public static final Settings DEFAULT = new Settings(Abi.MINOR, false, 0, 0);
    }

    private final Filesystem fs;
    private final Channel channel;
    private final Settings settings;
    private final Trace trace;
    private volatile boolean initialized;
    private volatile boolean ended;
    private volatile Filesystem.Capabilities capabilities;
    private final Set<Integer> failedOpcodes = ConcurrentHashMap.newKeySet();

    /** @param trace where {@code -d} prints each request and reply, or null */
    public Session(Filesystem fs, Channel channel, Settings settings, Trace trace) {
        this.fs = fs;
        this.channel = channel;
        this.settings = settings;
        this.trace = trace;
    }

    /**
     * Serves requests on {@code threads} threads (this one among them) until the kernel ends the
     * session (unmounted).
     *
     * @param onRequest run as each request arrives after INIT; it must be quick
     * @param onFailure run when reading requests fails: it must unmount, which ends the other workers
     */
    public void serve(String threadName, int threads, Runnable onRequest, Runnable onFailure)
            throws InterruptedException {
        List<Thread> others = new ArrayList<>();
        Runnable work = () -> {
            if (!new Worker().loop(onRequest)) {
                onFailure.run();
            }
        };
        for (int i = 1; i < threads; i++) {
            Thread t = new Thread(work, threadName + "-" + i);
            t.setDaemon(true);
            t.start();
            others.add(t);
        }
        work.run();
        for (Thread t : others) {
            t.join();
        }
    }

    /** Whether INIT has been answered; requests made up for a warm-up are answered only after it. */
    public boolean initialized() {
        return initialized;
    }

    /** Waits up to {@code timeoutMs} for INIT to be answered, or the session to end; whether it was. */
    public boolean awaitInitialized(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!initialized && !ended && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return initialized;
    }

    /** Whether the kernel has ended the session (unmounted). */
    public boolean ended() {
        return ended;
    }

    /** What INIT agreed, or null before it. */
    public Filesystem.Capabilities capabilities() {
        return capabilities;
    }

    /** A worker for requests made up by the caller (see {@link Worker#answer}); for one thread at a time. */
    public Worker worker() {
        return new Worker();
    }

    /** One thread's request and reply buffers, and the request path. */
    public final class Worker {
        private final NativeBuffer requestBuffer = NativeBuffer.allocate(REQUEST_BUFFER);
        private final ByteBuffer in = requestBuffer.bytes();
        private final Request request = new Request(in);
        private final Reply reply = new Reply(Abi.MAX_MAX_PAGES * Abi.PAGE);

        /** The buffer a made-up request is written into, for {@link #answer}. */
        public NativeBuffer requestBuffer() {
            return requestBuffer;
        }

        /** Reads and answers requests until the session ends; false when reading failed. */
        private boolean loop(Runnable onRequest) {
            while (true) {
                int n = channel.receive(requestBuffer);
                if (n == -Errno.EINTR || n == -Errno.EAGAIN || n == -Errno.ENOENT) {
                    continue;
                }
                if (n <= 0) {
                    ended = true;
                    if (n == -Errno.ENODEV || n == 0 || n == -Errno.ECONNABORTED) {
                        return true; // unmounted
                    }
                    log.error("reading FUSE requests failed: {}", Errno.name(-n));
                    return false;
                }
                if (initialized) {
                    onRequest.run();
                }
                answer(n, channel);
            }
        }

        /**
         * Answers the request of {@code length} bytes in {@link #requestBuffer} to {@code to}: the path
         * every request takes, from the kernel or made up (a warm-up's, whose replies go elsewhere).
         */
        public void answer(int length, Channel to) {
            if (!request.take(length)) {
                log.error("a FUSE request of {} bytes that does not hold its own header: dropped", length);
                return;
            }
            int opcode = request.opcode();
            reply.begin(request.unique());
            if (trace != null) {
                trace.request(request, opcode);
            }
            int result;
            try {
                result = dispatch(opcode);
            } catch (RuntimeException | Error e) { // the worker goes on: the request gets EIO
                if (failedOpcodes.size() < FAILURES_LOGGED && failedOpcodes.add(opcode)) {
                    log.error("{} of node {}: {}", Trace.opcodeName(opcode), request.node(), e.toString());
                }
                result = -Errno.EIO;
            }
            if (result == NO_REPLY) {
                return;
            }
            int bytes = reply.finish(result);
            int sent = to.send(reply.buffer, reply.start, bytes);
            if (sent != 0 && result == 0) {
                forgetLost();
            }
            if (trace != null) {
                trace.reply(reply, opcode, result, sent);
            }
        }

        /** The kernel did not take the reply: the lookups it counted never happened. */
        private void forgetLost() {
            for (int i = 0; i < reply.countedNodes; i++) {
                fs.forget(reply.counted[i], 1);
            }
        }

        private int dispatch(int opcode) {
            long node = request.node();
            return switch (opcode) {
                case Abi.INIT -> init();
                case Abi.LOOKUP -> {
                    byte[] name = request.name(0);
                    yield name == null ? -Errno.EINVAL : fs.lookup(node, name, reply);
                }
                case Abi.FORGET -> {
                    fs.forget(node, request.arg64(FORGET_IN.at("nlookup")));
                    yield NO_REPLY;
                }
                case Abi.BATCH_FORGET -> {
                    int count = request.arg32(BATCH_FORGET_IN.at("count"));
                    for (int i = 0; i < count && BATCH_FORGET_IN.size() + (i + 1) * FORGET_ONE.size()
                            <= request.length() - Request.ARGS; i++) {
                        int at = BATCH_FORGET_IN.size() + i * FORGET_ONE.size();
                        fs.forget(request.arg64(at + FORGET_ONE.at("nodeid")), request.arg64(at + FORGET_ONE.at("nlookup")));
                    }
                    yield NO_REPLY;
                }
                case Abi.GETATTR -> fs.getattr(node, reply);
                case Abi.OPEN -> fs.open(node, request.arg32(OPEN_IN.at("flags")), reply);
                case Abi.OPENDIR -> fs.opendir(node, request.arg32(OPEN_IN.at("flags")), reply);
                case Abi.READ -> read(node);
                case Abi.READDIR, Abi.READDIRPLUS -> {
                    reply.directory(request.arg32(READ_IN.at("size")), opcode == Abi.READDIRPLUS);
                    yield fs.readdir(node, request.arg64(READ_IN.at("fh")), request.arg64(READ_IN.at("offset")), reply);
                }
                case Abi.RELEASE -> {
                    fs.release(node, request.arg64(RELEASE_IN.at("fh")));
                    yield 0;
                }
                case Abi.RELEASEDIR -> {
                    fs.releasedir(node, request.arg64(RELEASE_IN.at("fh")));
                    yield 0;
                }
                case Abi.STATFS -> fs.statfs(node, reply);
                case Abi.GETXATTR -> {
                    String name = request.text(GETXATTR_IN.size());
                    yield name == null ? -Errno.EINVAL : xattr(fs.getxattr(node, name, reply));
                }
                case Abi.LISTXATTR -> xattr(fs.listxattr(node, reply));
                case Abi.INTERRUPT, Abi.NOTIFY_REPLY -> NO_REPLY; // requests here finish on their own, soon
                case Abi.DESTROY -> 0;
                // nothing is ever written, so nothing to flush or sync: ENOSYS, and the kernel stops asking
                // (a FLUSH came with every close)
                case Abi.SETATTR, Abi.SYMLINK, Abi.MKNOD, Abi.MKDIR, Abi.UNLINK, Abi.RMDIR, Abi.RENAME, Abi.LINK,
                        Abi.WRITE, Abi.SETXATTR, Abi.REMOVEXATTR, Abi.CREATE, Abi.FALLOCATE, Abi.RENAME2,
                        Abi.COPY_FILE_RANGE, Abi.TMPFILE -> -Errno.EROFS;
                default -> -Errno.ENOSYS; // also ACCESS (allowed from then on), locks, ioctl, poll, lseek, bmap, unknown
            };
        }

        private int read(long node) {
            int size = Math.min(request.arg32(READ_IN.at("size")), reply.payloadRoom());
            int n = fs.read(node, request.arg64(READ_IN.at("fh")), request.arg64(READ_IN.at("offset")), size, reply);
            if (n >= 0) {
                reply.length = n;
                return 0;
            }
            return n;
        }

        /** The size protocol of GETXATTR and LISTXATTR: size 0 asks for the length alone, too small a buffer is ERANGE. */
        private int xattr(int result) {
            if (result != 0) {
                return result;
            }
            byte[] value = reply.xattr == null ? new byte[0] : reply.xattr;
            int size = request.arg32(GETXATTR_IN.at("size"));
            if (size == 0) {
                reply.payload(GETXATTR_OUT.size());
                reply.put32(GETXATTR_OUT.at("size"), value.length);
                return 0;
            }
            if (Integer.compareUnsigned(size, value.length) < 0 || !reply.bytes(value)) {
                return -Errno.ERANGE;
            }
            return 0;
        }

        /**
         * INIT: agrees on the newest protocol both sides speak (at most {@link Settings#maxMinor}) and on
         * what the kernel offers that pays here: asynchronous and large reads, parallel lookups and
         * listings, READDIRPLUS when asked.
         */
        private int init() {
            int major = request.arg32(INIT_IN.at("major"));
            int minor = request.arg32(INIT_IN.at("minor"));
            if (major > Abi.MAJOR) { // the kernel asks again with ours
                reply.payload(8);
                reply.put32(INIT_OUT.at("major"), Abi.MAJOR);
                reply.put32(INIT_OUT.at("minor"), Abi.MINOR);
                return 0;
            }
            if (major < Abi.MAJOR || minor < Abi.OLDEST_MINOR) {
                log.error("the kernel speaks FUSE {}.{}; {}.{} or newer is needed", major, minor, Abi.MAJOR,
                        Abi.OLDEST_MINOR);
                return -Errno.EPROTO;
            }
            int agreed = Math.min(Math.min(minor, Abi.MINOR), settings.maxMinor());
            long offered = request.arg32(INIT_IN.at("flags")) & 0xffffffffL;
            if (minor >= 36 && (offered & Abi.INIT_EXT) != 0 && request.has(INIT_IN)) {
                offered |= (request.arg32(INIT_IN.at("flags2")) & 0xffffffffL) << 32;
            }
            long usable = 0;
            for (long flag = 1; flag != 0; flag <<= 1) {
                if ((offered & flag) != 0 && Abi.minorOf(flag) <= agreed) {
                    usable |= flag; // as a kernel speaking the agreed version would offer
                }
            }
            long wanted = Abi.ASYNC_READ | Abi.PARALLEL_DIROPS | Abi.MAX_PAGES | Abi.ABORT_ERROR
                    | (settings.readdirPlus() ? Abi.DO_READDIRPLUS | Abi.READDIRPLUS_AUTO : 0);
            long granted = usable & wanted;
            int maxPages = (granted & Abi.MAX_PAGES) != 0 ? Abi.MAX_MAX_PAGES : 32; // 32: the kernel's limit without it
            int kernelReadahead = request.arg32(INIT_IN.at("max_readahead"));
            int readahead = settings.maxReadahead() > 0
                    ? (int) Math.min(kernelReadahead & 0xffffffffL, settings.maxReadahead()) : kernelReadahead;
            reply.payload(agreed >= 23 ? INIT_OUT.size() : Abi.INIT_OUT_SIZE_7_22);
            reply.put32(INIT_OUT.at("major"), Abi.MAJOR);
            reply.put32(INIT_OUT.at("minor"), agreed);
            reply.put32(INIT_OUT.at("max_readahead"), readahead);
            reply.put32(INIT_OUT.at("flags"), (int) granted);
            reply.put16(INIT_OUT.at("max_background"), settings.maxBackground());
            reply.put16(INIT_OUT.at("congestion_threshold"), settings.maxBackground() * 3 / 4);
            reply.put32(INIT_OUT.at("max_write"), MAX_WRITE);
            if (agreed >= 23) {
                reply.put32(INIT_OUT.at("time_gran"), 1);
                reply.put16(INIT_OUT.at("max_pages"), maxPages);
                reply.put32(INIT_OUT.at("flags2"), (int) (granted >>> 32));
            }
            capabilities = new Filesystem.Capabilities(agreed, (usable & Abi.NO_OPEN_SUPPORT) != 0,
                    (usable & Abi.NO_OPENDIR_SUPPORT) != 0, (granted & Abi.DO_READDIRPLUS) != 0,
                    Math.min(maxPages * Abi.PAGE, reply.payloadRoom()));
            fs.init(capabilities);
            initialized = true; // before the reply: the kernel's next requests may reach other workers first
            return 0;
        }
    }
}
