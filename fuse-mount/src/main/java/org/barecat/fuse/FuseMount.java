package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveView;
import org.barecat.fuse.kernel.Errno;
import org.barecat.fuse.kernel.KernelMount;
import org.barecat.fuse.kernel.Session;
import org.barecat.fuse.kernel.Trace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A live FUSE mount of an archive: libfuse makes the mount, and a {@link Session} serves it with an
 * {@link ArchiveFilesystem}. {@link #mount} returns once the mount exists, or throws with a one-line
 * reason; {@link #awaitUnmount()} blocks until someone unmounts it ({@code fusermount -u}, or
 * {@link #unmount()}).
 */
public final class FuseMount {
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
    /** Entries the class-data archive's training run takes the request path through (see {@link #rehearse}). */
    private static final int TRAINING_REQUESTS = 15_000;
    /** Requests the JIT warm-up makes after mounting, unless a request comes first (see {@link WarmUp}). */
    private static final int WARM_UP_REQUESTS = 15_000;
    /** How long the warm-up waits for the kernel's INIT, which comes once the mount shows. */
    private static final long INIT_TIMEOUT_MS = 5_000;

    private final Path mountPoint;
    private final Thread loop;
    private final ArchiveFilesystem fs;
    private final Session session;
    private final BackgroundPriority backgroundPriority;
    /** Bytes the kernel may read ahead per file, as the user asked ({@code max_readahead}); 0: as much as a request carries. */
    private final int readahead;
    /** No warm-up under {@code -d}: each of its requests would be printed. */
    private final boolean traced;
    /** The thread that reads listings ahead and warms up after mounting (see {@link #startBackgroundWork}). */
    private Thread background;

    private FuseMount(Path mountPoint, ArchiveFilesystem fs, Session session, BackgroundPriority backgroundPriority,
                      int readahead, Thread loop, boolean traced) {
        this.mountPoint = mountPoint;
        this.readahead = readahead;
        this.fs = fs;
        this.session = session;
        this.backgroundPriority = backgroundPriority;
        this.loop = loop;
        this.traced = traced;
    }

    /**
     * Starts, on another thread, what a mount needs first and takes long: the logging library, then
     * the native bindings (jffi's stub, and the classes jnr generates for libfuse and libc). A launcher
     * that calls {@link #inBackground} first has them done while it reads its arguments and opens the
     * archive. Nested, so that calling it does not initialize {@link FuseMount} (and its logger) on the
     * caller's thread.
     */
    public static final class Preload {
        private Preload() {
        }

        /** Counted down once the logging library is initialized (see {@link #awaitLogging}). */
        private static final java.util.concurrent.CountDownLatch LOGGING = new java.util.concurrent.CountDownLatch(1);

        /** Whether {@link #inBackground} ran: else there is nothing to wait for. */
        private static volatile boolean started;

        public static void inBackground() {
            started = true;
            Thread t = new Thread(() -> {
                LoggerFactory.getILoggerFactory();
                LOGGING.countDown();
                try {
                    KernelMount.load();
                } catch (RuntimeException | LinkageError e) {
                    log.debug("preloading libfuse's bindings: {}", e.toString()); // mount() reports it, if it matters
                }
            }, "barecat-preload");
            t.setDaemon(true);
            t.start();
        }

        /**
         * Waits until {@link #inBackground} has initialized the logging library: code that logs a lot
         * while it starts (the AWS SDK) would otherwise log through SLF4J's stand-ins, which then print a
         * warning on stderr when they replay it.
         */
        public static void awaitLogging() throws InterruptedException {
            if (started) {
                LOGGING.await(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Runs what a mount runs short of mounting: option parsing, the native bindings, INIT, listings read
     * ahead and a warm-up over {@code archive}, through a session no kernel serves. Loads the classes a
     * mount needs, for the class-data archive the launcher has the JVM write (bin/barecat-launch);
     * mounts nothing, changes nothing.
     */
    public static void rehearse(Archive archive) {
        MountOptions options = MountOptions.parse(List.of());
        options.mountOptions(archive.name());
        KernelMount.load();
        ArchiveFilesystem fs = new ArchiveFilesystem(archive, new EntryDefaults(0, 0, archive.indexMtimeNs()),
                options.overrides(), options.timeouts(), false);
        Session session = new Session(fs, null, options.sessionSettings(), null);
        WarmUp.initialize(session);
        fs.readAheadListings();
        WarmUp.run(session, TRAINING_REQUESTS, () -> false);
    }

    /**
     * Mounts {@code archive} at {@code mountPoint}.
     *
     * @param debug print each request and reply on stderr ({@code -d})
     * @throws IOException with a one-line message when the mountpoint is unusable, FUSE is missing, or
     *                     libfuse could not mount
     */
    public static FuseMount mount(ArchiveView archive, Path mountPoint, MountOptions options, EntryDefaults defaults,
                                  boolean debug) throws IOException {
        return mount(archive, mountPoint, options, defaults, debug ? new Trace(System.err) : null);
    }

    /** {@link #mount}, {@code -d} printing to {@code trace} (null: no {@code -d}). */
    static FuseMount mount(ArchiveView archive, Path mountPoint, MountOptions options, EntryDefaults defaults, Trace trace)
            throws IOException {
        Path target = checkMountPoint(mountPoint, options);
        checkAllowed(options);
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IOException("/dev/fuse: no such device (is the fuse kernel module loaded?)");
        }
        ArchiveFilesystem fs = new ArchiveFilesystem(archive, defaults, options.overrides(), options.timeouts(),
                options.verify(), options.directIo());
        KernelMount kernel = KernelMount.mount(target, options.mountOptions(archive.name()));
        Session session = new Session(fs, kernel.channel(), options.sessionSettings(), trace);
        BackgroundPriority backgroundPriority = new BackgroundPriority();
        FuseMount[] self = new FuseMount[1];
        Thread loop = new Thread(() -> {
            try {
                session.serve("barecat-fuse", options.threads(), backgroundPriority::requestArrived, self[0]::unmount);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                kernel.close();
            }
        }, "barecat-fuse");
        self[0] = new FuseMount(target, fs, session, backgroundPriority, options.sessionSettings().maxReadahead(), loop,
                trace != null);
        loop.start();
        // however the JVM ends (System.exit, an uncaught error), the mount goes with it
        Runtime.getRuntime().addShutdownHook(new Thread(self[0]::unmount, "barecat-unmount"));
        return self[0];
    }

    /**
     * Clears a dead FUSE mount at {@code mountPoint}: one whose daemon is gone (killed with SIGKILL,
     * crashed), which the mount table still lists but whose connection answers ENOTCONN,
     * "Transport endpoint is not connected". The connection is asked with statfs, which the kernel
     * always sends to the daemon: a stat or a listing may be answered from the kernel's caches after
     * the daemon died. Live mounts, and mounts that are not FUSE, are left alone.
     *
     * @return whether there was a dead mount (it is now detached with {@code fusermount -uz})
     * @throws IOException when there was one and it could not be cleared
     */
    public static boolean clearStaleMount(Path mountPoint) throws IOException {
        Path target = realPathOfParent(mountPoint);
        if (target == null || !isFuse(MountTable.typeAt(target)) || Posix.statfsErrno(target) != Errno.ENOTCONN) {
            return false;
        }
        int exit = run("fusermount", "-u", "-z", target.toString());
        if (isFuse(MountTable.typeAt(target)) && Posix.statfsErrno(target) == Errno.ENOTCONN) {
            throw new IOException(mountPoint + ": a dead FUSE mount is in the way and fusermount -uz could not clear it"
                    + " (exit " + exit + ")");
        }
        return true;
    }

    private static boolean isFuse(Optional<String> type) {
        return type.map(t -> t.equals("fuse") || t.startsWith("fuse.")).orElse(false);
    }

    /** The mountpoint with its parent's symbolic links resolved, without touching the mountpoint itself. */
    private static Path realPathOfParent(Path mountPoint) {
        Path abs = mountPoint.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            return null;
        }
        try {
            return abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The mountpoint as a real path, once it is known to be a directory with nothing mounted on it
     * (said first: a mount there is what a user most needs to hear of) and, unless {@code nonempty}, empty.
     */
    private static Path checkMountPoint(Path mountPoint, MountOptions options) throws IOException {
        Path parentReal = realPathOfParent(mountPoint);
        Optional<String> mounted = parentReal == null ? Optional.empty() : MountTable.typeAt(parentReal);
        if (mounted.isPresent()) {
            throw new IOException(mountPoint + ": already mounted (" + mounted.get() + "); unmount it first"
                    + (isFuse(mounted) ? " with fusermount -u " + mountPoint : ""));
        }
        if (!Files.exists(mountPoint)) {
            throw new NoSuchFileException(mountPoint.toString(), null, "mountpoint does not exist");
        }
        if (!Files.isDirectory(mountPoint)) {
            throw new NotDirectoryException(mountPoint + ": mountpoint is not a directory");
        }
        Path real = mountPoint.toRealPath();
        if (!options.nonempty()) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(real)) {
                if (children.iterator().hasNext()) {
                    throw new IOException(mountPoint + ": mountpoint is not empty (use -o nonempty to mount over it)");
                }
            } catch (DirectoryIteratorException | UncheckedIOException e) {
                throw new IOException(mountPoint + ": cannot list the mountpoint: " + e.getCause().getMessage(), e);
            }
        }
        return real;
    }

    /**
     * fusermount lets a user who is not root share a mount ({@code allow_other}, {@code allow_root})
     * only where {@code /etc/fuse.conf} says {@code user_allow_other}; said here in one line, before
     * fusermount says it in its own words after libfuse's.
     */
    private static void checkAllowed(MountOptions options) throws IOException {
        String sharing = options.sharing();
        if (sharing == null || Posix.isRoot()) {
            return;
        }
        try {
            if (Files.readAllLines(Path.of("/etc/fuse.conf")).stream().anyMatch(l -> l.strip().equals("user_allow_other"))) {
                return;
            }
        } catch (IOException e) {
            // no such file: not allowed
        }
        throw new IOException("option '" + sharing + "': only root may use it unless /etc/fuse.conf has user_allow_other");
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** The file system answering the requests (for tests). */
    ArchiveFilesystem fs() {
        return fs;
    }

    /**
     * Starts, at a low priority (see {@link BackgroundPriority}), what makes the mount fast from its
     * first use: listings read ahead into memory ({@link ArchiveFilesystem#readAheadListings}), then the
     * JIT warm-up ({@link WarmUp}) until the first request. Called once the mount has been reported
     * ready, so that it never delays the report.
     */
    public synchronized void startBackgroundWork() {
        if (background != null) {
            return;
        }
        background = new Thread(() -> {
            backgroundPriority.enter();
            raiseReadahead();
            fs.readAheadListings();
            warmUp(WARM_UP_REQUESTS);
        }, "barecat-after-mount");
        background.setDaemon(true);
        background.start();
    }

    /**
     * Lets the kernel read ahead as much per file as one request carries ({@code -o max_readahead},
     * else a request's most, 1 MiB), once INIT has agreed on it: a mount's readahead starts at
     * 128 KiB, and INIT can only lower it. Set through the mount's {@code /sys/class/bdi} entry,
     * which only root may write; elsewhere the mount keeps the kernel's. (Measured in bench/results:
     * the cold sequential read of a 4 GiB file.)
     */
    private void raiseReadahead() {
        try {
            if (!session.awaitInitialized(INIT_TIMEOUT_MS)) {
                return;
            }
            long bytes = readahead > 0 ? readahead : session.capabilities().maxRead();
            Optional<String> device = MountTable.deviceAt(mountPoint); // a stat of the mount would be a request
            if (device.isEmpty()) {
                return;
            }
            Path setting = Path.of("/sys/class/bdi/" + device.get() + "/read_ahead_kb");
            if (Files.isWritable(setting) && bytes > Long.parseLong(Files.readString(setting).trim()) * 1024) {
                Files.writeString(setting, Long.toString(bytes / 1024));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: readahead left as it was: {}", mountPoint, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Warms the JIT up with made-up requests (see {@link WarmUp}) until {@code requests} have been
     * answered or a request comes from the kernel; the number answered (0 under {@code -d}, or once
     * unmounted).
     */
    int warmUp(int requests) {
        if (traced) {
            return 0;
        }
        try {
            if (!session.awaitInitialized(INIT_TIMEOUT_MS) || session.ended()) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        long start = System.nanoTime();
        int made = WarmUp.run(session, requests, backgroundPriority::used);
        log.debug("JIT warm-up: {} requests in {} ms", made, (System.nanoTime() - start) / 1_000_000);
        return made;
    }

    /** Blocks until the filesystem is unmounted, the request loop has ended and background work has stopped. */
    public void awaitUnmount() throws InterruptedException {
        loop.join();
        Thread started;
        synchronized (this) {
            started = background;
        }
        if (started != null) { // it reads the archive, which the caller closes next
            fs.stopBackgroundWork();
            started.join();
        }
    }

    /**
     * Unmounts with {@code fusermount -u}; when the mount is busy, detaches it lazily
     * ({@code -uz}) so the kernel finishes it once the last user lets go. Does nothing once the
     * request loop has ended: whatever is mounted there then belongs to someone else, and the shutdown
     * hook of a daemon unmounted from outside must not unmount the mount that took its place.
     */
    public void unmount() {
        if (!loop.isAlive() || !MountTable.isMounted(mountPoint)) {
            return;
        }
        if (run("fusermount", "-u", mountPoint.toString()) != 0 && MountTable.isMounted(mountPoint)) {
            log.info("{}: busy, detaching lazily", mountPoint);
            run("fusermount", "-u", "-z", mountPoint.toString());
        }
    }

    private static int run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            log.warn("{}: {}", cmd, e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
