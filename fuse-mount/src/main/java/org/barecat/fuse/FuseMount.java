package org.barecat.fuse;

import org.barecat.core.Archive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.ErrorCodes;

import java.io.IOException;
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
 * A live FUSE mount of an archive. {@link #mount} returns only once the kernel shows the
 * filesystem at the mountpoint, or throws with a one-line reason; {@link #awaitUnmount()} blocks
 * until someone unmounts it ({@code fusermount -u}, or {@link #unmount()}).
 */
public final class FuseMount {
    private static final Logger log = LoggerFactory.getLogger(FuseMount.class);
    private static final long READY_TIMEOUT_MS = 15_000;
    /** Entries the class-data archive's training run takes the callbacks through (see {@link #rehearse}). */
    private static final int TRAINING_ENTRIES = 5_000;
    /**
     * Requests the JIT warm-up makes after mounting, unless a request comes first (see {@link WarmUp}).
     * In the first 6 s after mounting the images archive of bench/run.sh (idle, C1 only) the daemon
     * took 1.0 s of CPU: 0.3 s starting and mounting, 0.15-0.19 s compiling, some 0.4 s on the
     * warm-up and the listings read ahead. Measured when C2 still ran: cold finds over 20,000 files
     * right after a mount, medians of 8 mounts: the first 143 ms and the next three 96 ms, against
     * 182 and 130 ms with the warm-up through Java calls it replaces (squashfuse: 95 and 85 ms); with
     * 5,000 requests the first took 164 ms against 110 ms with 15,000.
     */
    private static final int WARM_UP_REQUESTS = 15_000;

    private final Path mountPoint;
    private final Thread loop;
    private volatile Throwable loopFailure;
    private final BarecatFs fs;
    private final BackgroundPriority backgroundPriority;
    /** The session, once libfuse has mounted; the mount is not reported ready before. */
    private volatile FuseSession session;
    /** No warm-up under {@code -d}: libfuse would print each of its requests. */
    private final boolean debug;
    /** The thread that reads listings ahead and warms up after mounting (see {@link #startBackgroundWork}). */
    private Thread background;

    private FuseMount(Path mountPoint, BarecatFs fs, BackgroundPriority backgroundPriority, Thread loop, boolean debug) {
        this.mountPoint = mountPoint;
        this.debug = debug;
        this.fs = fs;
        this.backgroundPriority = backgroundPriority;
        this.loop = loop;
    }

    /**
     * Starts, on another thread, what a mount needs first and takes long: the logging library (some
     * 65 ms of a cold start: this class's logger made it run first thing on the launcher's main
     * thread), then libfuse's bindings: jffi's native stub, and the classes jnr generates for libfuse's
     * functions and callbacks (some 0.2-0.3 s). A launcher that calls {@link #inBackground} first has
     * them done while it reads its arguments and opens the archive. Nested, so that calling it does
     * not initialize {@link FuseMount} (and its logger) on the caller's thread.
     */
    public static final class Preload {
        private Preload() {
        }

        public static void inBackground() {
            Thread t = new Thread(() -> {
                LoggerFactory.getILoggerFactory();
                try {
                    loadBindings();
                } catch (RuntimeException | LinkageError e) {
                    log.debug("preloading libfuse's bindings: {}", e.toString()); // mount() reports it, if it matters
                }
            }, "barecat-preload");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Runs what a mount runs short of mounting: option parsing, the callbacks' setup, libfuse's
     * bindings, listings read ahead and a warm-up over {@code archive}. Loads the classes a mount needs, for the class-data
     * archive the launcher has the JVM write (bin/barecat-launch); mounts nothing, changes nothing.
     */
    public static void rehearse(Archive archive) throws IOException {
        MountOptions options = MountOptions.parse(List.of());
        options.fuseArguments(archive.files().index().toString());
        options.replySettings();
        loadBindings();
        BarecatFs fs = new BarecatFs(archive, new EntryDefaults(0, 0, archive.indexMtimeNs()), false);
        fs.fileReplies();
        fs.readAheadListings();
        fs.exerciseCallbacks(TRAINING_ENTRIES);
    }

    /** jnr-fuse's callback classes (built with any file system) and the libfuse binding. */
    private static void loadBindings() {
        new ru.serce.jnrfuse.FuseStubFS() { };
        FuseSession.load();
    }

    /**
     * Mounts {@code archive} at {@code mountPoint}.
     *
     * @throws IOException with a one-line message when the mountpoint is unusable, FUSE is
     *                     missing, or the kernel did not show the mount in time
     */
    public static FuseMount mount(Archive archive, Path mountPoint, MountOptions options, EntryDefaults defaults,
                                  boolean debug) throws IOException {
        Path target = checkMountPoint(mountPoint, options);
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IOException("/dev/fuse: no such device (is the fuse kernel module loaded?)");
        }
        BarecatFs fs = new BarecatFs(archive, defaults, options.overrides(), options.verify(), !debug);
        List<String> args = new ArrayList<>(List.of("barecat", "-f"));
        if (debug) {
            args.add("-d");
        }
        args.add(target.toString());
        args.addAll(options.fuseArguments(archive.files().index().toString()));
        FuseMount[] self = new FuseMount[1];
        BackgroundPriority backgroundPriority = new BackgroundPriority();
        Thread loop = new Thread(() -> {
            try {
                // under -d libfuse prints each request it answers: it answers READDIR too
                FuseSession session = FuseSession.setup(fs.operations(), debug ? null : fs.directoryReplies(),
                        fs.fileReplies(), options.replySettings(), backgroundPriority::requestArrived, args);
                self[0].session = session;
                session.loop("barecat-fuse", options.threads(), self[0]::unmount);
            } catch (Throwable t) {
                self[0].loopFailure = t;
            }
        }, "barecat-fuse");
        self[0] = new FuseMount(target, fs, backgroundPriority, loop, debug);
        loop.start();
        self[0].awaitReady();
        // however the JVM ends (System.exit, an uncaught error), the mount goes with it
        Runtime.getRuntime().addShutdownHook(new Thread(self[0]::unmount, "barecat-unmount"));
        return self[0];
    }

    /**
     * Clears a dead FUSE mount at {@code mountPoint}: one whose daemon is gone (killed with SIGKILL,
     * crashed), which the kernel still lists but answers every access to with ENOTCONN, "Transport
     * endpoint is not connected". Live mounts, and mounts that are not FUSE, are left alone.
     *
     * @return whether there was a dead mount (it is now detached with {@code fusermount -uz})
     * @throws IOException when there was one and it could not be cleared
     */
    public static boolean clearStaleMount(Path mountPoint) throws IOException {
        Path target = realPathOfParent(mountPoint);
        if (target == null || !MountTable.typeAt(target).map(t -> t.startsWith("fuse")).orElse(false)
                || Posix.accessErrno(target) != ErrorCodes.ENOTCONN()) {
            return false;
        }
        int exit = run("fusermount", "-u", "-z", target.toString());
        if (Posix.accessErrno(target) == ErrorCodes.ENOTCONN()) {
            throw new IOException(mountPoint + ": a dead FUSE mount is in the way and fusermount -uz could not clear it"
                    + " (exit " + exit + ")");
        }
        return true;
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

    private static Path checkMountPoint(Path mountPoint, MountOptions options) throws IOException {
        if (!Files.exists(mountPoint)) {
            throw new NoSuchFileException(mountPoint.toString(), null, "mountpoint does not exist");
        }
        if (!Files.isDirectory(mountPoint)) {
            throw new NotDirectoryException(mountPoint + ": mountpoint is not a directory");
        }
        Path real = mountPoint.toRealPath();
        // first: a live mount there is not empty either, and -o nonempty would not help
        Optional<String> mounted = MountTable.typeAt(real);
        if (mounted.isPresent()) {
            throw new IOException(mountPoint + ": already mounted (" + mounted.get() + "); unmount it first");
        }
        if (!options.nonempty()) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(real)) {
                if (children.iterator().hasNext()) {
                    throw new IOException(mountPoint + ": mountpoint is not empty (use -o nonempty to mount over it)");
                }
            }
        }
        return real;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (session != null && MountTable.isMounted(mountPoint)) { // libfuse mounts, then returns the session
                return;
            }
            if (!loop.isAlive()) {
                throw new IOException(mountPoint + ": mount failed"
                        + (loopFailure == null ? " (see libfuse's message above)" : ": " + rootMessage(loopFailure)));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(mountPoint + ": interrupted while mounting");
            }
        }
        unmount();
        throw new IOException(mountPoint + ": the mount did not appear within " + READY_TIMEOUT_MS + " ms");
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** The callbacks (for tests). */
    BarecatFs fs() {
        return fs;
    }

    /** The session, once mounted (for tests). */
    FuseSession session() {
        return session;
    }

    /**
     * Starts, at a low priority (see {@link BackgroundPriority}), what makes the mount fast from its
     * first use: listings read ahead into memory ({@link BarecatFs#readAheadListings}), then the JIT
     * warm-up ({@link WarmUp}) until the first request. Called once the mount has been reported ready,
     * so that it never delays the report.
     */
    public synchronized void startBackgroundWork() {
        if (background != null) {
            return;
        }
        background = new Thread(() -> {
            backgroundPriority.enter();
            fs.readAheadListings();
            warmUp(WARM_UP_REQUESTS);
        }, "barecat-after-mount");
        background.setDaemon(true);
        background.start();
    }

    /**
     * Warms the JIT up with made-up requests (see {@link WarmUp}) until {@code requests} have been
     * answered or a request comes from the kernel; the number answered (0 under {@code -d}, or once
     * unmounted).
     */
    int warmUp(int requests) {
        if (debug) {
            return 0;
        }
        long start = System.nanoTime();
        int made = WarmUp.run(session, requests, backgroundPriority::used);
        log.debug("JIT warm-up: {} requests in {} ms", made, (System.nanoTime() - start) / 1_000_000);
        return made;
    }

    /** Blocks until the filesystem is unmounted, the FUSE loop has ended and background work has stopped. */
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
     * FUSE loop has ended: whatever is mounted there then belongs to someone else, and the shutdown
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
