package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is left after a daemon dies, and what a signal does to a background daemon. (SIGTERM, SIGINT
 * and SIGHUP to a foreground daemon: {@link LauncherTest#sigtermSigintAndSighupUnmountAForegroundDaemonCleanly};
 * to the launcher before the mount is ready: {@link LauncherTest#aLauncherInterruptedBeforeTheMountIsReadyLeavesNothingMounted}.)
 */
class CrashRecoveryTest {
    /** The archive's one file, data.bin. */
    private static final byte[] DATA = Trees.randomBytes(new java.util.Random(2), 300_000);

    @TempDir
    static Path tmp;
    static Path archive;

    @BeforeAll
    static void buildArchive() throws IOException {
        Path source = TreeBuilder.directory(tmp.resolve("source")).file("data.bin", DATA).build();
        archive = Launchers.create(source, tmp.resolve("c.barecat"));
    }

    /**
     * What the kernel caches of a mount decides what a process sees of it once its daemon is dead (a
     * stat may still be answered, a listing not): whatever was done before the daemon was killed, the
     * next barecat-mount at the same place finds the dead mount, clears it with one line and mounts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nothing", "a whole read", "only a stat", "a refused second mount", "a file held open"})
    void mountingWhereAKilledDaemonLeftADeadMountClearsItAndMounts(String before) throws Exception {
        Process holder = null;
        try (Mount killed = Mount.of(archive)) {
            switch (before) {
                case "a whole read" -> Files.readAllBytes(killed.path("data.bin"));
                case "only a stat" -> Files.size(killed.path("data.bin"));
                case "a refused second mount" -> assertEquals(1, Launchers.mountCommand(Map.of(), archive.toString(),
                        killed.point.toString()).exit());
                case "a file held open" -> {
                    holder = new ProcessBuilder("sh", "-c", "exec 3< \"$0\"; echo held; exec sleep 600",
                            killed.path("data.bin").toString()).start();
                    assertEquals("held", new String(holder.getInputStream().readNBytes(4)));
                }
                default -> { }
            }
            ProcessHandle daemon = killed.daemon().orElseThrow();
            Programs.run("kill", "-KILL", Long.toString(daemon.pid())).ok();
            daemon.onExit().get(20, TimeUnit.SECONDS);
            assertTrue(MountExtension.isMounted(killed.point), "the kernel still lists the mount");
            // "cannot access" or, with the root's attributes still cached, "cannot open directory"
            assertTrue(Programs.run("ls", killed.point.toString()).stderr()
                    .matches("ls: cannot (access|open directory) '" + java.util.regex.Pattern.quote(killed.point.toString())
                            + "': Transport endpoint is not connected\n"));

            try (Mount again = Mount.at(killed.point, archive, Map.of())) {
                assertEquals("barecat-mount: " + killed.point + ": cleared a dead mount left by a daemon that was"
                        + " killed or crashed (Transport endpoint is not connected)\n", again.started.out());
                assertEquals("", again.started.stderr(), "nothing else: no stack trace");
                assertArrayEquals(DATA, Files.readAllBytes(again.path("data.bin")));
                assertEquals(1, Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                        .filter(l -> l.contains(" " + killed.point + " ")).count(), "one mount, the new one");
            }
        } finally {
            if (holder != null) {
                holder.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aLiveMountIsNeverTakenForADeadOne() throws IOException {
        try (Mount live = Mount.of(archive)) {
            // it used to say "mountpoint is not empty (use -o nonempty ...)", and with -o nonempty then
            // "something is already mounted there"
            for (List<String> options : List.of(List.<String>of(), List.of("-o", "nonempty"))) {
                List<String> args = new java.util.ArrayList<>(options);
                args.addAll(List.of(archive.toString(), live.point.toString()));
                Programs.Result r = Launchers.mountCommand(Map.of(), args.toArray(String[]::new));
                assertEquals(1, r.exit());
                assertEquals("barecat-mount: " + live.point + ": already mounted (fuse.barecat); unmount it first with"
                        + " fusermount -u " + live.point + "\n",
                        r.stderr(), options.toString());
            }
            assertArrayEquals(DATA, Files.readAllBytes(live.path("data.bin")));
        }
    }

    @Test
    void sigtermOrSighupOnABusyMountDetachesItAndTheDaemonServesItsLastReaderBeforeExiting() throws Exception {
        // SIGHUP used to end the JVM at once (exit 129): the reader's pread failed with ENOTCONN
        for (String signal : List.of("TERM", "HUP")) {
            busyMountOutlivesTheSignal(signal);
        }
    }

    private static void busyMountOutlivesTheSignal(String signal) throws Exception {
        try (Mount mount = Mount.of(archive)) {
            ProcessHandle daemon = mount.daemon().orElseThrow();
            Process reader = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import os, sys",
                    "fd = os.open(sys.argv[1], os.O_RDONLY)",
                    "print('open', flush=True)",
                    "sys.stdin.readline()",
                    "sys.stdout.buffer.write(os.pread(fd, 1 << 20, 0))"), mount.path("data.bin").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                java.io.InputStream out = reader.getInputStream();
                assertEquals("open\n", new String(out.readNBytes(5), java.nio.charset.StandardCharsets.UTF_8));
                Programs.run("kill", "-" + signal, Long.toString(daemon.pid())).ok();
                for (int i = 0; i < 400 && MountExtension.isMounted(mount.point); i++) {
                    Thread.sleep(50);
                }
                assertFalse(MountExtension.isMounted(mount.point), "detached from the mountpoint on SIG" + signal);
                assertTrue(daemon.isAlive(), "still serving the reader that has the file open after SIG" + signal);
                reader.getOutputStream().write('\n');
                reader.getOutputStream().flush();
                assertArrayEquals(DATA, out.readAllBytes(), "SIG" + signal);
                assertEquals(0, reader.waitFor());
                daemon.onExit().get(20, TimeUnit.SECONDS);
            } finally {
                reader.destroyForcibly();
            }
        }
    }

    @Test
    void sigtermSigintAndSighupUnmountABackgroundDaemonAndItExits() throws Exception {
        for (String signal : List.of("TERM", "INT", "HUP")) {
            try (Mount mount = Mount.of(archive)) {
                ProcessHandle daemon = mount.daemon().orElseThrow();
                Programs.run("kill", "-" + signal, Long.toString(daemon.pid())).ok();
                daemon.onExit().get(20, TimeUnit.SECONDS);
                assertFalse(daemon.isAlive());
                assertFalse(MountExtension.isMounted(mount.point), "unmounted on SIG" + signal);
            }
        }
    }

    @Test
    void sigintUnmountsADaemonStartedWithSigintIgnored() throws Exception {
        // as "barecat-mount ... &" in a script starts it: a shell starts background commands with
        // SIGINT ignored, which the JVM keeps unless the daemon restores it
        try (Mount mount = Mount.prepare()) {
            Programs.run("bash", "-c", "trap '' INT; exec \"$0\" \"$@\"", Launchers.bin("barecat-mount").toString(),
                    archive.toString(), mount.point.toString()).ok();
            assertTrue(MountExtension.isMounted(mount.point));
            ProcessHandle daemon = mount.daemon().orElseThrow();
            Programs.run("kill", "-INT", Long.toString(daemon.pid())).ok();
            daemon.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(daemon.isAlive());
            assertFalse(MountExtension.isMounted(mount.point), "unmounted on SIGINT");
        }
    }
}
