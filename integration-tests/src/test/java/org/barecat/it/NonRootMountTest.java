package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A user who is not root mounts an archive they can read on a directory they own (libfuse has the
 * setuid fusermount make the mount), reads it, and unmounts it with {@code fusermount -u}, with the
 * options FUSE allows them. A second Unix user is made for this and removed after; /dev/fuse, 0600 on
 * these machines (Debian makes it 0666), is opened to everyone for the test and restored after.
 */
class NonRootMountTest {
    @RegisterExtension
    static final OtherUser user = new OtherUser("barecat-nr-", "/bin/sh");
    static Path home;
    static String devFuseMode;

    @BeforeAll
    static void openDevFuseAndFillTheUsersHome() throws IOException {
        devFuseMode = Programs.run("stat", "-c", "%a", "/dev/fuse").ok().out().trim();
        Programs.run("chmod", "0666", "/dev/fuse").ok();
        home = Files.createTempDirectory("barecat-nonroot-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = Files.createDirectories(home.resolve("source/dir"));
        Files.writeString(source.resolve("hello.txt"), "hello from an archive\n");
        Files.write(source.resolve("big.bin"), Trees.randomBytes(new java.util.Random(3), 300_000));
        Launchers.create(home.resolve("source"), home.resolve("a.barecat"));
        Files.createDirectory(home.resolve("mnt"));
        Programs.run("chown", "-R", user.name() + ":" + user.name(), home.toString()).ok();
    }

    @AfterAll
    static void restoreDevFuseAndRemoveTheHome() throws IOException {
        if (home != null) {
            MountExtension.unmount(home.resolve("mnt"));
        }
        if (devFuseMode != null) {
            Programs.run("chmod", devFuseMode, "/dev/fuse");
        }
        if (home != null) {
            Programs.run("rm", "-rf", home.toString());
        }
    }

    /** Runs a command as the other user, with its own environment (no root's HOME or cache). */
    private static Programs.Result asUser(String... command) {
        List<String> full = user.runs("env", "HOME=" + home, "XDG_CACHE_HOME=" + home.resolve("cache"));
        full.addAll(List.of(command));
        return Programs.run(home, Map.of(), full);
    }

    @Test
    void aUserMountsReadsAndUnmountsAnArchiveOfTheirs() throws IOException {
        Path mnt = home.resolve("mnt");
        Programs.Result mounted = asUser(Launchers.bin("barecat-mount").toString(), "-o", "umask=027,attr_timeout=5",
                home.resolve("a.barecat").toString(), mnt.toString());
        assertEquals(0, mounted.exit(), mounted.stderr());
        try {
            assertEquals("hello from an archive\n", asUser("cat", "mnt/dir/hello.txt").ok().out());
            // the stored owner (root made the archive), less the umask
            assertEquals("640 root\n", asUser("stat", "-c", "%a %U", "mnt/dir/hello.txt").ok().out());
            assertEquals(Programs.run(null, Map.of(), List.of("sha256sum", home.resolve("source/dir/big.bin").toString()))
                    .ok().out().split(" ")[0], asUser("sha256sum", "mnt/dir/big.bin").ok().out().split(" ")[0]);
            String mountLine = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .filter(l -> l.contains(" " + mnt + " ")).findFirst().orElseThrow();
            assertTrue(mountLine.contains("fuse.barecat") && mountLine.contains("user_id=" + user.uid()), mountLine);
        } finally {
            assertEquals(0, asUser("fusermount", "-u", mnt.toString()).exit(), "the user unmounts it");
        }
        assertFalse(MountExtension.isMounted(mnt));
        for (int i = 0; i < 100 && daemonAlive(); i++) {
            sleep();
        }
        assertFalse(daemonAlive(), "the daemon ended with its mount");
    }

    @Test
    void allowOtherWithoutUserAllowOtherIsRefusedInOneLine() {
        assumeTrue(!fuseConfAllowsOther(), "/etc/fuse.conf has user_allow_other here");
        Programs.Result r = asUser(Launchers.bin("barecat-mount").toString(), "-o", "allow_other",
                home.resolve("a.barecat").toString(), home.resolve("mnt").toString());
        assertEquals(1, r.exit());
        assertEquals("barecat-mount: option 'allow_other': only root may use it unless /etc/fuse.conf has"
                + " user_allow_other\n", r.stderr());
        assertFalse(MountExtension.isMounted(home.resolve("mnt")));
    }

    private static boolean fuseConfAllowsOther() {
        try {
            return Files.readAllLines(Path.of("/etc/fuse.conf")).stream().anyMatch(l -> l.strip().equals("user_allow_other"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean daemonAlive() {
        return Programs.run("pgrep", "-u", user.name(), "-f", "BarecatMount").exit() == 0;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
