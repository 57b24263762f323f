package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * mount(8) mounts archives through the mount.fuse.barecat helper that scripts/install.sh puts in
 * /sbin: {@code mount -t fuse.barecat}, fstab lines with the options mount(8), systemd and network
 * setups add, and the systemd units in packaging/systemd. The helper is removed afterwards (and
 * whatever was there before put back).
 */
class MountHelperTest {
    private static final Path HELPER = Path.of("/sbin/mount.fuse.barecat");

    @TempDir
    static Path tmp;
    static Path source;
    /** In a directory whose name has a space, as fstab must escape it. */
    static Path archive;
    static Path prefix;
    static Path bindir;
    static Path previousHelper;

    @BeforeAll
    static void installHelper() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mount(8) with a helper in /sbin needs root");
        source = Trees.buildAwkwardTree(tmp.resolve("source"));
        archive = Files.createDirectory(tmp.resolve("data sets")).resolve("tree.barecat");
        Launchers.create(source, archive);
        if (Files.exists(HELPER, LinkOption.NOFOLLOW_LINKS)) {
            previousHelper = tmp.resolve("previous-helper");
            Files.move(HELPER, previousHelper);
        }
        prefix = tmp.resolve("opt/barecat");
        bindir = tmp.resolve("usr-local-bin");
        install().ok();
        assertEquals(prefix.resolve("bin/mount.fuse.barecat"), Files.readSymbolicLink(HELPER));
    }

    private static Programs.Result install(String... more) {
        List<String> command = new java.util.ArrayList<>(List.of(Launchers.HOME.resolve("scripts/install.sh").toString(),
                "--prefix", prefix.toString(), "--bindir", bindir.toString(), "--sbindir", HELPER.getParent().toString()));
        command.addAll(List.of(more));
        return Programs.run(null, Map.of(), command);
    }

    @AfterAll
    static void removeHelper() throws IOException {
        if (prefix == null) {
            return;
        }
        install("--uninstall").ok();
        assertFalse(Files.exists(HELPER, LinkOption.NOFOLLOW_LINKS), "the helper is gone");
        if (previousHelper != null) {
            Files.move(previousHelper, HELPER);
        }
    }

    /** The /proc/mounts line of whatever is mounted at {@code point}. */
    private static String mountsLine(Path point) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mounts"))) {
            return lines.filter(l -> l.contains(" " + point + " ")).findFirst().orElseThrow();
        }
    }

    /** Unmounts with umount(8), as systemd and admins do, and checks the daemon exits with it. */
    private static void umount(Mount mount) throws Exception {
        ProcessHandle daemon = mount.daemon().orElseThrow();
        Programs.run("umount", mount.point.toString()).ok();
        daemon.onExit().get(20, TimeUnit.SECONDS);
        assertFalse(MountExtension.isMounted(mount.point));
    }

    @Test
    void mountTypeFuseBarecatMountsReadOnlyAndUmountStopsTheDaemon() throws Exception {
        try (Mount mount = Mount.prepare()) {
            Programs.run("mount", "-t", "fuse.barecat", archive.toString(), mount.point.toString(), "-o",
                    "ro,allow_other").ok();
            String line = mountsLine(mount.point);
            assertTrue(line.startsWith(archive.toString().replace(" ", "\\040") + " " + mount.point + " fuse.barecat ro,"),
                    line);
            assertTrue(line.contains("allow_other"), line);
            assertEquals(Trees.snapshot(source), Trees.snapshot(mount.point));
            umount(mount);
        }
    }

    /** mount(8) passes -o rw when ro is not given: the helper mounts read-only all the same. */
    @Test
    void mountWithoutRoMountsReadOnly() throws Exception {
        try (Mount mount = Mount.prepare()) {
            Programs.run("mount", "-t", "fuse.barecat", archive.toString(), mount.point.toString()).ok();
            assertTrue(mountsLine(mount.point).contains(" fuse.barecat ro,"), mountsLine(mount.point));
            Programs.Result write = Programs.run("touch", mount.path("big.bin").toString());
            assertNotEquals(0, write.exit());
            assertTrue(write.stderr().contains("Read-only file system"), write.stderr());
            assertEquals(Files.size(source.resolve("big.bin")), Files.size(mount.path("big.bin")));
            umount(mount);
        }
    }

    /**
     * An fstab line (read with mount -T, so /etc/fstab is left alone) carrying what real fstab
     * lines carry: systemd's x-systemd.*, _netdev, nofail, noauto, comment=, VFS flags libfuse 2
     * does not know, and FUSE options that must reach the filesystem (uid=, gid=).
     */
    @Test
    void fstabLineWithSystemdNetworkAndFuseOptionsMounts() throws Exception {
        try (Mount mount = Mount.prepare()) {
            Path fstab = tmp.resolve("fstab");
            Files.writeString(fstab, "# a dataset on shared storage\n" + archive.toString().replace(" ", "\\040") + "  "
                    + mount.point + "  fuse.barecat  defaults,ro,allow_other,_netdev,nofail,noauto,x-systemd.automount,"
                    + "x-systemd.idle-timeout=600,x-systemd.mount-timeout=60,comment=dataset,noatime,nodiratime,nosuid,"
                    + "nodev,uid=1234,gid=5678,attr_timeout=60  0  0\n");
            Programs.run("mount", "-T", fstab.toString(), mount.point.toString()).ok();
            assertTrue(mountsLine(mount.point).contains(" fuse.barecat ro,"), mountsLine(mount.point));
            assertEquals("1234:5678 " + Files.size(source.resolve("big.bin")) + "\n",
                    Programs.run("stat", "-c", "%u:%g %s", mount.path("big.bin").toString()).ok().out());
            Programs.run("cmp", source.resolve("big.bin").toString(), mount.path("big.bin").toString()).ok();
            umount(mount);
        }
    }

    /** mount(8) relays the helper's exit code: 32 when the mount fails, with barecat-mount's one line. */
    @Test
    void failedMountsExitWithMountFailureAndOneLine() throws IOException {
        try (Mount mount = Mount.prepare()) {
            Path missing = tmp.resolve("missing.barecat");
            Programs.Result r = Programs.run("mount", "-t", "fuse.barecat", missing.toString(), mount.point.toString());
            assertEquals(32, r.exit(), r.stderr());
            assertEquals("barecat-mount: " + missing + ": no such archive (neither the file nor missing.barecat-sqlite-index"
                    + " exists)\n", r.stderr());
            assertFalse(MountExtension.isMounted(mount.point));
        }
    }

    /**
     * The unit files in packaging/systemd pass systemd-analyze verify (with /opt/barecat pointed at
     * this test's install), and the mount unit's Type= and Options= mount the archive through mount(8).
     */
    @Test
    void systemdUnitsVerifyAndTheMountUnitsOptionsMount() throws Exception {
        Path units = Files.createDirectories(tmp.resolve("units"));
        Path repoUnits = Launchers.HOME.resolve("packaging/systemd");
        List<Path> unitFiles;
        try (Stream<Path> files = Files.list(repoUnits)) {
            unitFiles = files.sorted().collect(Collectors.toList());
        }
        assertEquals(List.of("barecat-dataset.service", "mnt-dataset.mount"),
                unitFiles.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        for (Path unit : unitFiles) {
            Files.writeString(units.resolve(unit.getFileName()), Files.readString(unit).replace("/opt/barecat", prefix.toString()));
        }
        Programs.Result verify = Programs.sh(units, "systemd-analyze verify --man=no ./*.service ./*.mount");
        assertEquals(0, verify.exit(), verify.stderr());
        assertEquals("", verify.stderr(), "no warnings");

        Map<String, String> mountSection = Files.readAllLines(repoUnits.resolve("mnt-dataset.mount")).stream()
                .filter(l -> l.matches("(Type|Options)=.*"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        try (Mount mount = Mount.prepare()) {
            Programs.run("mount", "-t", mountSection.get("Type"), archive.toString(), mount.point.toString(), "-o",
                    mountSection.get("Options")).ok();
            assertEquals(Trees.snapshot(source), Trees.snapshot(mount.point));
            umount(mount);
        }
    }
}
