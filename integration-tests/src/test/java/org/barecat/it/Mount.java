package org.barecat.it;

import org.barecat.testing.MountExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An archive mounted through bin/barecat-mount on a fresh temporary mountpoint. {@link #close()}
 * unmounts ({@code fusermount -u}, then {@code -uz} if busy), waits for the daemon to exit and
 * removes the mountpoint, so no test leaves a mount or a daemon behind.
 */
final class Mount implements AutoCloseable {
    final Path point;
    /** What barecat-mount printed when it mounted. */
    final Programs.Result started;

    private Mount(Path point, Programs.Result started) {
        this.point = point;
        this.started = started;
    }

    static Mount of(Path archive, String... options) throws IOException {
        return of(archive, Map.of(), options);
    }

    static Mount of(Path archive, Map<String, String> env, String... options) throws IOException {
        return at(Files.createTempDirectory("barecat-mnt-"), archive, env, options);
    }

    /** Mounts several archives in one mount: merged, or as {@code options} say. */
    static Mount ofAll(List<Path> archives, String... options) throws IOException {
        return at(Files.createTempDirectory("barecat-mnt-"), archives.stream().map(Path::toString).toList(), Map.of(),
                List.of("barecat-mount"), options);
    }

    /** Mounts through {@code barecat mount} rather than barecat-mount. */
    static Mount ofBarecatMount(Path archive, String... options) throws IOException {
        return at(Files.createTempDirectory("barecat-mnt-"), archive.toString(), Map.of(), List.of("barecat", "mount"),
                options);
    }

    /** Mounts on {@code point}, an existing directory that {@link #close()} removes. */
    static Mount at(Path point, Path archive, Map<String, String> env, String... options) {
        return at(point, archive.toString(), env, List.of("barecat-mount"), options);
    }

    /** Mounts the archive named {@code archive} (a path or a URL) on a fresh temporary mountpoint. */
    static Mount of(String archive, Map<String, String> env, String... options) throws IOException {
        return at(Files.createTempDirectory("barecat-mnt-"), archive, env, List.of("barecat-mount"), options);
    }

    /** Mounts with {@code launcher} (the program in bin/, then its first arguments). */
    private static Mount at(Path point, String archive, Map<String, String> env, List<String> launcher,
                            String... options) {
        return at(point, List.of(archive), env, launcher, options);
    }

    private static Mount at(Path point, List<String> archives, Map<String, String> env, List<String> launcher,
                            String... options) {
        List<String> args = new ArrayList<>(launcher.subList(1, launcher.size()));
        args.addAll(archives);
        args.add(point.toString());
        args.addAll(List.of(options));
        Programs.Result r = Launchers.run(launcher.get(0), env, args.toArray(String[]::new));
        Mount mount = new Mount(point, r);
        if (r.exit() != 0) {
            mount.close();
            throw new AssertionError("barecat-mount failed (" + r.exit() + "): " + r.stderr());
        }
        if (!MountExtension.isMounted(mount.point)) {
            mount.close();
            throw new AssertionError("barecat-mount returned 0 but nothing is mounted at " + mount.point);
        }
        return mount;
    }

    /**
     * A fresh empty mountpoint, nothing mounted yet, for a mount made by other means (mount(8), an
     * fstab line); {@link #close()} cleans up after it as after {@link #of}.
     */
    static Mount prepare() throws IOException {
        return new Mount(Files.createTempDirectory("barecat-mnt-"), null);
    }

    Path path(String relative) {
        return point.resolve(relative);
    }

    /** The daemon serving this mount, found by its command line. */
    Optional<ProcessHandle> daemon() {
        String needle = point.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("BarecatMount") && c.contains(needle))
                        .orElse(false))
                .findFirst();
    }

    @Override
    public void close() {
        Optional<ProcessHandle> daemon = daemon();
        MountExtension.unmount(point);
        daemon.ifPresent(p -> {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
        try {
            Files.deleteIfExists(point);
        } catch (IOException ignored) {
            // a lazily detached mount may still hold it for a moment; it is in the temp dir
        }
    }
}
