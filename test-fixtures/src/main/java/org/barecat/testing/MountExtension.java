package org.barecat.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Mounts for tests, each on a fresh temporary mountpoint, always unmounted ({@code fusermount -u},
 * then {@code -uz} if busy) and the mountpoint removed: after the test that made it, or after the
 * class for a mount made in {@code @BeforeAll}. How to mount is the test's (a launcher, a mount in
 * this JVM), so this module depends on none of the project's.
 *
 * <pre>{@code
 * @RegisterExtension
 * final MountExtension mounts = new MountExtension();
 * ...
 * FuseMount m = mounts.mount(point -> FuseMount.mount(archive, point, ...), FuseMount::awaitUnmount);
 * }</pre>
 */
public final class MountExtension implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    /** Makes a mount at {@code point}, an empty directory. */
    @FunctionalInterface
    public interface Mounter<T> {
        T mount(Path point) throws Exception;
    }

    /** What to wait for once the mount is gone: its daemon's exit, its session's end. */
    @FunctionalInterface
    public interface Ending<T> {
        void awaitEnd(T mounted) throws Exception;
    }

    private record Made(Path point, Runnable ending) {
    }

    private final Deque<Made> classMounts = new ArrayDeque<>();
    private final Deque<Made> testMounts = new ArrayDeque<>();
    private boolean inTest;

    /** A mount made by {@code mounter} on a fresh mountpoint, nothing to wait for after the unmount. */
    public <T> T mount(Mounter<T> mounter) throws Exception {
        return mount(mounter, m -> { });
    }

    /** A mount made by {@code mounter} on a fresh mountpoint; after the unmount, {@code ending} is awaited. */
    public synchronized <T> T mount(Mounter<T> mounter, Ending<T> ending) throws Exception {
        Path point = mountpoint();
        T mounted = mounter.mount(point);
        Made made = new Made(point, () -> {
            try {
                ending.awaitEnd(mounted);
            } catch (Exception e) {
                throw new AssertionError("after unmounting " + point, e);
            }
        });
        replace(point, made);
        return mounted;
    }

    /**
     * A fresh empty mountpoint, nothing mounted yet, for a mount made by other means (mount(8), a
     * launcher, a test that mounts twice); it is unmounted if need be and removed like the others.
     */
    public synchronized Path mountpoint() throws IOException {
        Path point = Files.createTempDirectory("barecat-mnt-").toRealPath();
        (inTest ? testMounts : classMounts).push(new Made(point, () -> { }));
        return point;
    }

    private void replace(Path point, Made made) {
        Deque<Made> mounts = inTest ? testMounts : classMounts;
        mounts.removeIf(m -> m.point().equals(point));
        mounts.push(made);
    }

    /** Whether something is mounted at {@code point}, live or dead (a dead FUSE mount cannot even be stat'ed). */
    public static boolean isMounted(Path point) {
        try {
            Path abs = point.toAbsolutePath().normalize();
            String wanted = " " + abs.getParent().toRealPath().resolve(abs.getFileName()) + " ";
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.contains(wanted));
        } catch (IOException e) {
            return false;
        }
    }

    /** Unmounts {@code point} if something is mounted there: {@code fusermount -u}, then {@code -uz} if busy. */
    public static void unmount(Path point) {
        if (isMounted(point) && fusermount("-u", point) != 0 && isMounted(point)) {
            fusermount("-uz", point);
        }
    }

    private static int fusermount(String option, Path point) {
        try {
            Process p = new ProcessBuilder("fusermount", option, point.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cleanUp(testMounts);
        inTest = false;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cleanUp(testMounts);
        cleanUp(classMounts);
    }

    /** Unmounts and removes every mountpoint, the last made first; the first failure is thrown after all are done. */
    private void cleanUp(Deque<Made> mounts) {
        AssertionError failure = null;
        while (true) {
            Made made;
            synchronized (this) {
                made = mounts.poll();
            }
            if (made == null) {
                break;
            }
            unmount(made.point());
            try {
                made.ending().run();
            } catch (AssertionError e) {
                if (failure == null) {
                    failure = e;
                }
            }
            try {
                Files.deleteIfExists(made.point());
            } catch (IOException ignored) {
                // a lazily detached mount may hold it a moment longer; it is in the temp dir
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
