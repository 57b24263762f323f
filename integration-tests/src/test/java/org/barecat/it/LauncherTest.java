package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** barecat-mount as a user meets it: errors, options, signals, unmounting, read-only storage. */
class LauncherTest {
    @TempDir
    static Path tmp;
    static Path source;
    static Path archive;

    @BeforeAll
    static void buildArchive() throws IOException {
        source = TreeBuilder.directory(tmp.resolve("source"))
                .file("d/e/hello.txt", "hello, world\n")
                .file("d/data.bin", Trees.randomBytes(new java.util.Random(1), 100_000))
                .build();
        archive = Launchers.create(source, tmp.resolve("a.barecat"));
    }

    @AfterAll
    static void noMountsLeft() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
            assertEquals(List.of(), lines.filter(l -> l.contains(tmp.toString())).collect(Collectors.toList()));
        }
    }

    /**
     * The launchers on the JVM these tests run on (CI runs them on Java 17 and on 25): a command and a
     * mount print nothing of the JVM's own (Java 24 and newer warn about native access and
     * sun.misc.Unsafe unless told they are allowed).
     */
    @Test
    void theLaunchersPrintNothingFromTheJvm() throws Exception {
        Map<String, String> jvm = Map.of("JAVA_HOME", System.getProperty("java.home"));
        Programs.Result ls = Programs.run(null, jvm, List.of(Launchers.bin("barecat").toString(), "ls",
                archive.toString()));
        assertEquals(0, ls.exit(), ls.stderr());
        assertEquals("", ls.stderr(), "barecat ls on Java " + Runtime.version().feature());
        Path mnt = Files.createTempDirectory(tmp, "mnt-quiet-");
        Path log = tmp.resolve("quiet.log");
        List<String> command = List.of(Launchers.bin("barecat-mount").toString(), "-f", archive.toString(), mnt.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(jvm);
        Process daemon = pb.start();
        try {
            for (int i = 0; i < 10_000 && !MountExtension.isMounted(mnt); i++) {
                Thread.sleep(1);
            }
            assertTrue(MountExtension.isMounted(mnt), "mounted in the foreground");
            try (Stream<Path> listed = Files.list(mnt)) {
                assertTrue(listed.findAny().isPresent());
            }
        } finally {
            MountExtension.unmount(mnt);
            daemon.waitFor(20, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
        assertEquals("", Files.readString(log), "barecat-mount -f on Java " + Runtime.version().feature());
    }

    @Test
    void refusesUnusableArchivesAndMountpointsWithOneLine() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("mnt-errors"));
        Path missing = tmp.resolve("missing.barecat");
        assertEquals("barecat-mount: " + missing + ": no such archive (neither the file nor missing.barecat-sqlite-index"
                + " exists)", Launchers.refusedMount(missing, mnt));

        Path text = Files.writeString(tmp.resolve("text.barecat"), "not a database at all, only text\n".repeat(10));
        assertEquals("barecat-mount: " + text + ": not an SQLite database", Launchers.refusedMount(text, mnt));

        Path other = tmp.resolve("other.barecat");
        Programs.run("python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)');"
                + " c.commit()", other.toString()).ok();
        assertTrue(Launchers.refusedMount(other, mnt).startsWith("barecat-mount: " + other + ": not a Barecat index (missing"));

        Path noShardDir = Files.createDirectory(tmp.resolve("noshard"));
        Files.copy(archive, noShardDir.resolve("a.barecat"));
        assertEquals("barecat-mount: " + noShardDir.resolve("a.barecat-shard-00000")
                + ": missing shard (the index has files in it)", Launchers.refusedMount(noShardDir.resolve("a.barecat"), mnt));

        Path nowhere = tmp.resolve("no-such-dir");
        assertEquals("barecat-mount: " + nowhere + ": mountpoint does not exist", Launchers.refusedMount(archive, nowhere));

        Path full = Files.createDirectory(tmp.resolve("mnt-full"));
        Files.writeString(full.resolve("somefile"), "x");
        assertEquals("barecat-mount: " + full + ": mountpoint is not empty (use -o nonempty to mount over it)",
                Launchers.refusedMount(archive, full));

        Programs.Result rw = Launchers.mountCommand(Map.of(), archive.toString(), mnt.toString(), "-o", "rw");
        assertEquals(2, rw.exit());
        assertEquals("barecat-mount: option 'rw': a Barecat mount is read-only\n", rw.stderr());
    }

    @Test
    void aLogThatCannotBeOpenedFailsTheMountBeforeMounting() throws IOException {
        // it used to print an error once the mount was ready, and leave it mounted with exit 0
        Path mnt = Files.createDirectory(tmp.resolve("mnt-log"));
        Path noDir = tmp.resolve("no-such-dir/mount.log");
        for (Path log : List.of(noDir, tmp)) {
            Programs.Result r = Launchers.mountCommand(Map.of(), "--log", log.toString(), archive.toString(),
                    mnt.toString());
            try {
                assertEquals(1, r.exit(), r.stderr());
                assertEquals("barecat-mount: " + log + ": cannot open the log: "
                        + (log == noDir ? "no such file or directory" : "Is a directory") + "\n", r.stderr());
                assertFalse(MountExtension.isMounted(mnt), "nothing mounted");
            } finally {
                MountExtension.unmount(mnt);
            }
        }
        assertFalse(Files.exists(noDir.getParent()));
        Path log = tmp.resolve("mount.log");
        try (Mount mount = Mount.of(archive, "--log", log.toString())) {
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
            assertTrue(Files.isRegularFile(log));
        }
    }

    @Test
    void refusesEveryKindOfWrite() throws IOException {
        try (Mount mount = Mount.of(archive)) {
            for (String script : List.of("touch new", "echo x > d/e/hello.txt", "echo x >> d/e/hello.txt",
                    "mkdir newdir", "rm d/data.bin", "mv d/data.bin d/moved", "chmod 777 d/data.bin",
                    "ln -s d/data.bin link", "ln d/data.bin hard", "truncate -s 0 d/data.bin", "touch d/data.bin",
                    "setfattr -n user.x -v 1 d/data.bin", "rmdir d/e")) {
                Programs.Result r = Programs.sh(mount.point, script);
                assertNotEquals(0, r.exit(), script);
                assertTrue(r.stderr().contains("Read-only file system"), script + ": " + r.stderr());
            }
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
        }
    }

    @Test
    void exposesChecksumsLocationAndTreeStatisticsAsXattrs() throws IOException {
        byte[] data = Files.readAllBytes(source.resolve("d/data.bin"));
        CRC32C crc = new CRC32C();
        crc.update(data);
        try (Mount mount = Mount.of(archive)) {
            String file = Programs.run("getfattr", "-d", "-m", "user.barecat", "--absolute-names",
                    mount.path("d/data.bin").toString()).ok().out();
            assertTrue(file.contains("user.barecat.crc32c=\"" + String.format("%08x", crc.getValue()) + "\""), file);
            assertTrue(file.contains("user.barecat.shard=\"0\""), file);
            assertTrue(file.contains("user.barecat.offset=\""), file);
            String dir = Programs.run("getfattr", "-d", "-m", "user.barecat", "--absolute-names",
                    mount.path("d").toString()).ok().out();
            assertTrue(dir.contains("user.barecat.num_files_tree=\"2\""), dir);
            assertTrue(dir.contains("user.barecat.size_tree=\"" + (data.length + 13) + "\""), dir);
            assertNotEquals(0, Programs.run("getfattr", "-n", "user.other", mount.path("d/data.bin").toString()).exit());
        }
    }

    @Test
    void statfsReportsArchiveSizeFileCountAndReadOnly() throws IOException {
        try (Mount mount = Mount.of(archive)) {
            String[] f = Programs.run("stat", "-f", "-c", "%b %S %c %a", mount.point.toString()).ok().out().trim().split(" ");
            long shardBytes = Files.size(tmp.resolve("a.barecat-shard-00000"));
            assertEquals((shardBytes + 4095) / 4096, Long.parseLong(f[0]));
            assertEquals(4096, Long.parseLong(f[1]));
            assertEquals(2 + 3, Long.parseLong(f[2]), "2 files and 3 directories");
            assertEquals(0, Long.parseLong(f[3]), "no free blocks");
            String mountsLine = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .filter(l -> l.contains(" " + mount.point + " ")).findFirst().orElseThrow();
            assertTrue(mountsLine.startsWith(archive + " " + mount.point + " fuse.barecat ro,"), mountsLine);
        }
    }

    @Test
    void inodeNumbersAreStableAcrossMountsAndDistinct() throws IOException {
        String first;
        try (Mount mount = Mount.of(archive)) {
            first = Programs.sh(mount.point, "stat -c '%i %n' . d d/e d/e/hello.txt d/data.bin").ok().out();
        }
        try (Mount mount = Mount.of(archive)) {
            assertEquals(first, Programs.sh(mount.point, "stat -c '%i %n' . d d/e d/e/hello.txt d/data.bin").ok().out());
        }
        Set<String> inodes = first.lines().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
        assertEquals(5, inodes.size(), first);
    }

    @Test
    void passesFuseOptionsThrough() throws IOException {
        try (Mount mount = Mount.of(archive, "-o", "uid=1234,gid=5678", "-o", "attr_timeout=1")) {
            assertEquals("1234:5678\n", Programs.run("stat", "-c", "%u:%g", mount.path("d/data.bin").toString()).ok().out());
        }
    }

    @Test
    void servesRequestsOnTheNumberOfThreadsAskedFor() throws Exception {
        for (int threads : new int[] {1, 3}) {
            try (Mount mount = Mount.of(archive, "-o", "threads=" + threads)) {
                assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
                long pid = mount.daemon().orElseThrow().pid();
                long serving;
                try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                    serving = tasks.filter(t -> {
                        try {
                            return Files.readString(t.resolve("comm")).startsWith("barecat-fuse");
                        } catch (IOException gone) {
                            return false;
                        }
                    }).count();
                }
                assertEquals(threads, serving, "threads named barecat-fuse*");
            }
        }
    }

    @Test
    void barecatMountMountsAsBarecatMountDoes() throws Exception {
        Path point;
        try (Mount mount = Mount.ofBarecatMount(archive, "-o", "threads=2")) {
            point = mount.point;
            assertTrue(mount.daemon().isPresent(), "returned with the daemon serving the mount in the background");
            assertArrayEquals(Files.readAllBytes(source.resolve("d/data.bin")), Files.readAllBytes(mount.path("d/data.bin")));
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
        }
        assertFalse(MountExtension.isMounted(point));
        assertTrue(Launchers.barecat("mount", "--help").ok().out().startsWith("Usage: barecat mount "));
        Path missing = tmp.resolve("missing.barecat");
        Programs.Result r = Launchers.barecat("mount", missing.toString(), tmp.toString());
        assertEquals(1, r.exit(), r.stderr());
        assertTrue(r.stderr().startsWith("barecat mount: " + missing), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
    }

    @Test
    void unmountingWithFusermountStopsTheDaemon() throws Exception {
        Mount mount = Mount.of(archive);
        try {
            ProcessHandle daemon = mount.daemon().orElseThrow();
            Programs.run("fusermount", "-u", mount.point.toString()).ok();
            daemon.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(daemon.isAlive());
        } finally {
            mount.close();
        }
    }

    @Test
    void sigtermSigintAndSighupUnmountAForegroundDaemonCleanly() throws Exception {
        // The signal is sent once after using the mount, and once the moment the mount appears (which
        // used to come before the handlers were installed, and killed the daemon with exit 143).
        // SIGHUP (the terminal closing) used to end the JVM with exit 129.
        for (String signal : List.of("TERM", "INT", "HUP", "TERM-at-once", "INT-at-once", "HUP-at-once")) {
            boolean atOnce = signal.endsWith("-at-once");
            signal = signal.replace("-at-once", "");
            Path mnt = Files.createTempDirectory(tmp, "mnt-fg-");
            Process daemon = new ProcessBuilder(Launchers.bin("barecat-mount").toString(), "-f", archive.toString(),
                    mnt.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                for (int i = 0; i < 10_000 && !MountExtension.isMounted(mnt); i++) {
                    Thread.sleep(1);
                }
                assertTrue(MountExtension.isMounted(mnt), "mounted in the foreground");
                if (!atOnce) {
                    assertEquals("hello, world\n", Files.readString(mnt.resolve("d/e/hello.txt")));
                }
                Programs.run("kill", "-" + signal, Long.toString(daemon.pid())).ok();
                assertTrue(daemon.waitFor(20, TimeUnit.SECONDS), "daemon exits on SIG" + signal);
                assertEquals(0, daemon.exitValue(), "exit code after SIG" + signal);
                assertFalse(MountExtension.isMounted(mnt));
            } finally {
                MountExtension.unmount(mnt);
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void aLauncherInterruptedBeforeTheMountIsReadyLeavesNothingMounted() throws Exception {
        // Ctrl-C (or SIGTERM, SIGHUP) reaches bin/barecat-mount while it waits for the ready line; the
        // daemon, in a session of its own, gets nothing from the terminal. It used to be left to mount
        // on its own after the prompt had come back without a word.
        Map<String, Integer> numbers = Map.of("INT", 2, "TERM", 15, "HUP", 1);
        int interrupted = 0;
        for (String signal : List.of("INT", "TERM", "HUP")) {
            for (String delay : List.of("0.02", "0.1", "0.2", "0.3")) {
                Path mnt = Files.createTempDirectory(tmp, "mnt-interrupted-");
                try {
                    Programs.Result r = Programs.run("timeout", "--preserve-status", "-s", signal, delay,
                            Launchers.bin("barecat-mount").toString(), archive.toString(), mnt.toString());
                    if (r.exit() == 0) { // ready before the signal came: a normal mount
                        assertTrue(MountExtension.isMounted(mnt));
                        continue;
                    }
                    interrupted++;
                    String what = "SIG" + signal + " after " + delay + " s";
                    assertEquals(128 + numbers.get(signal), r.exit(), what + ": " + r.stderr());
                    assertEquals("barecat-mount: " + mnt + ": interrupted before the mount was ready; nothing is"
                            + " mounted\n", r.stderr(), what);
                    assertEquals("", r.out(), what);
                    Thread.sleep(2_000); // the daemon went on to mount some 2 s later
                    assertFalse(MountExtension.isMounted(mnt), what + ": nothing mounted");
                    assertEquals(List.of(), daemonsServing(mnt), what + ": no daemon left");
                } finally {
                    MountExtension.unmount(mnt);
                    for (ProcessHandle p : daemonsServing(mnt)) {
                        p.onExit().get(20, TimeUnit.SECONDS);
                    }
                    Files.deleteIfExists(mnt);
                }
            }
        }
        assertTrue(interrupted >= 3, "some launchers were interrupted before the mount was ready: " + interrupted);
    }

    private static List<ProcessHandle> daemonsServing(Path mnt) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains("BarecatMount") && c.contains(mnt.toString())).orElse(false)).toList();
    }

    @Test
    void theKernelKeepsTheListingsItHasRead() throws Exception {
        // libfuse's debug output (-d) is its trace of the requests the kernel sends, one line each: the
        // second listing of a directory must be served by the kernel's cache (FOPEN_CACHE_DIR), with no
        // READDIR sent, and hold the same names as the first and as the source directory.
        Path mnt = Files.createTempDirectory(tmp, "mnt-debug-");
        Path log = tmp.resolve("debug.log");
        Process daemon = new ProcessBuilder(Launchers.bin("barecat-mount").toString(), "-d", archive.toString(),
                mnt.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            for (int i = 0; i < 10_000 && !MountExtension.isMounted(mnt); i++) {
                Thread.sleep(1);
            }
            assertTrue(MountExtension.isMounted(mnt), "mounted in the foreground");
            String first = Programs.run("ls", "-fa", mnt.resolve("d").toString()).ok().out();
            long afterFirst = readdirRequests(log);
            String second = Programs.run("ls", "-fa", mnt.resolve("d").toString()).ok().out();
            assertEquals(first, second);
            String expected = Programs.run("ls", "-fa", source.resolve("d").toString()).ok().out();
            assertEquals(expected.lines().sorted().toList(), second.lines().sorted().toList(), "the source's names");
            assertTrue(first.lines().count() > 2, first);
            assertTrue(afterFirst > 0, "the first listing was read from the daemon");
            assertEquals(afterFirst, readdirRequests(log), "the second listing came from the kernel's cache");
        } finally {
            MountExtension.unmount(mnt);
            daemon.waitFor(20, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
    }

    @Test
    void backgroundWorkYieldsToOtherSessionsUntilTheMountIsUsed() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/autogroup")), "a kernel with scheduling autogroups");
        // the daemon barecat-mount starts is a session of its own: its group is niced once it is
        // mounted, and has its priority back from the first request (a daemon in someone else's
        // session leaves the group alone: BackgroundPriorityTest)
        try (Mount mount = Mount.of(archive)) {
            Path group = Path.of("/proc/" + mount.daemon().orElseThrow().pid() + "/autogroup");
            for (int i = 0; i < 2_000 && groupNice(group) != 19; i++) {
                Thread.sleep(5);
            }
            assertEquals(19, groupNice(group), "lowered before any request");
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
            assertEquals(0, groupNice(group), "restored by the first request");
        }
    }

    /** The nice value in a {@code /proc/PID/autogroup} file ("/autogroup-25 nice 0"). */
    private static int groupNice(Path autogroup) throws IOException {
        String[] fields = Files.readString(autogroup).trim().split(" ");
        return Integer.parseInt(fields[fields.length - 1]);
    }

    private static long readdirRequests(Path debugLog) throws IOException {
        return Files.readAllLines(debugLog).stream().filter(l -> l.matches("unique \\d+: READDIR(PLUS)? .*")).count();
    }

    @Test
    void theFirstMountMakesAClassDataArchiveThatLaterMountsMap() throws Exception {
        Path cache = Files.createTempDirectory(tmp, "cache-");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", System.getProperty("java.home"));
        try (Mount mount = Mount.of(archive, env)) {
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
        }
        Path dir = cache.resolve("barecat");
        String made = ClassDataArchives.await(dir, Set.of());
        assertEquals(List.of(made), ClassDataArchives.listing(dir).stream().filter(n -> n.contains("jsa")).toList(),
                "one archive, no temporary file or lock left");
        assertTrue(made.matches("mount-[0-9]+-[0-9]+\\.jsa"), made);
        assertTrue(ClassDataArchives.holds(dir.resolve(made), "org.barecat.fuse.ArchiveFilesystem"));
        assertFalse(ClassDataArchives.holds(dir.resolve(made), "org.barecat.remote.RemoteShard"),
                "a local mount's archive leaves out the object-storage clients (see RemoteMountTest)");
        try (Mount mount = Mount.of(archive, env)) {
            assertTrue(ClassDataArchives.mapped(mount.daemon().orElseThrow().pid(), made), "the daemon maps " + made);
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
        }
        try (Mount mount = Mount.of(archive, Map.of("XDG_CACHE_HOME", cache.toString(), "BARECAT_NO_CDS", "1"))) {
            assertFalse(ClassDataArchives.mapped(mount.daemon().orElseThrow().pid(), made), "BARECAT_NO_CDS=1");
        }
    }

    @Test
    void aNewClassDataArchiveReplacesTheOnesMadeForEarlierBuilds() throws Exception {
        // one archive of some 20 MB per build of the jar (and per JVM update) used to stay for good
        Path cache = Files.createTempDirectory(tmp, "cache-");
        Path jar = Files.copy(Launchers.HOME.resolve("cli/target/barecat.jar"),
                Files.createTempDirectory(tmp, "jar-").resolve("barecat.jar"));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "BARECAT_JAR", jar.toString());
        Path dir = cache.resolve("barecat");
        try (Mount mount = Mount.of(archive, env)) {
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
        }
        String first = ClassDataArchives.await(dir, Set.of());
        // one named the older way, and two of other jars or JVMs: one used lately, one not for 40 days
        List<String> others = List.of("mount-99.jsa", "mount-7-8.jsa", "mount-5-6.jsa");
        for (String other : others) {
            Files.writeString(dir.resolve(other), "x");
        }
        Files.setAttribute(dir.resolve("mount-5-6.jsa"), "lastAccessTime",
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 40L * 86_400_000));
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
        try (Mount mount = Mount.of(archive, env)) { // the jar rebuilt
            assertEquals("hello, world\n", Files.readString(mount.path("d/e/hello.txt")));
        }
        Set<String> before = new java.util.HashSet<>(others);
        before.add(first);
        String second = ClassDataArchives.await(dir, before);
        assertEquals(Set.of(second, "mount-7-8.jsa"),
                ClassDataArchives.listing(dir).stream().filter(n -> n.contains(".jsa")).collect(Collectors.toSet()));
    }

    @Test
    void mountsFromReadOnlyStorageAndWritesNothingBesideTheArchive() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for a read-only bind mount");
        Path storage = tmp.resolve("ro-storage");
        Files.createDirectory(storage);
        Programs.run("mount", "--bind", tmp.toString(), storage.toString()).ok();
        try {
            Programs.run("mount", "-o", "remount,bind,ro", storage.toString()).ok();
            Set<String> before = Programs.run("ls", "-a", tmp.toString()).ok().out().lines().collect(Collectors.toSet());
            try (Mount mount = Mount.of(storage.resolve("a.barecat"))) {
                Programs.run("diff", "-r", source.toString(), mount.point.toString()).ok();
            }
            Set<String> after = Programs.run("ls", "-a", tmp.toString()).ok().out().lines().collect(Collectors.toSet());
            after.removeIf(n -> n.startsWith("mnt-")); // other tests' mountpoints in the same directory
            before.removeIf(n -> n.startsWith("mnt-"));
            assertEquals(before, after, "no -wal, -shm or -journal file appeared");
        } finally {
            Programs.run("umount", storage.toString());
        }
    }
}
