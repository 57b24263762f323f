package org.barecat.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who else may read a mount. A second Unix user, made for this test and removed after it, tries:
 * by default it cannot see the mount at all; with {@code allow_other,default_permissions} the kernel
 * lets it read exactly what the modes and owners stored in the archive allow.
 */
class PermissionsTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final OtherUser user = new OtherUser("barecat-it-", "/usr/sbin/nologin");
    static Path archive;

    @BeforeAll
    static void buildArchive() throws IOException {
        Path source = Files.createDirectory(tmp.resolve("source"));
        Files.createDirectories(source.resolve("closed"));
        Files.createDirectories(source.resolve("open"));
        Files.writeString(source.resolve("public.txt"), "for everyone\n");
        Files.writeString(source.resolve("secret.txt"), "for root only\n");
        Files.writeString(source.resolve("theirs.txt"), "for the other user\n");
        Files.writeString(source.resolve("closed/inside.txt"), "behind a closed directory\n");
        Files.writeString(source.resolve("open/file.txt"), "in an open directory\n");
        Programs.sh(source, "chmod 0755 . open; chmod 0700 closed; chmod 0644 public.txt closed/inside.txt open/file.txt;"
                + " chmod 0600 secret.txt theirs.txt; chown \"$1:$1\" theirs.txt", user.name()).ok();
        archive = tmp.resolve("p.barecat");
        Launchers.create(source, archive);
    }

    /** Runs a command as the other user, in the mount. */
    private static Programs.Result asOtherUser(Mount mount, String... command) {
        return Programs.run(mount.point, Map.of(), user.runs(command));
    }

    private static void assertDenied(Programs.Result r) {
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().contains("Permission denied"), r.stderr());
    }

    @Test
    void byDefaultNoOtherUserCanSeeTheMount() throws IOException {
        try (Mount mount = Mount.of(archive)) {
            assertDenied(asOtherUser(mount, "ls", mount.point.toString()));
            assertDenied(asOtherUser(mount, "cat", mount.path("public.txt").toString()));
            assertEquals("for everyone\n", Files.readString(mount.path("public.txt")), "the mounting user can");
        }
    }

    @Test
    void allowOtherWithDefaultPermissionsEnforcesStoredModesAndOwners() throws IOException {
        try (Mount mount = Mount.of(archive, "-o", "allow_other,default_permissions")) {
            assertEquals("for everyone\n", asOtherUser(mount, "cat", "public.txt").ok().out());
            assertEquals("for the other user\n", asOtherUser(mount, "cat", "theirs.txt").ok().out());
            assertEquals("in an open directory\n", asOtherUser(mount, "cat", "open/file.txt").ok().out());
            assertEquals(user.uid() + " 600\n", asOtherUser(mount, "stat", "-c", "%u %a", "theirs.txt").ok().out());
            assertDenied(asOtherUser(mount, "cat", "secret.txt"));
            assertDenied(asOtherUser(mount, "ls", "closed"));
            assertDenied(asOtherUser(mount, "cat", "closed/inside.txt"));
            Programs.Result write = asOtherUser(mount, "touch", "theirs.txt");
            assertNotEquals(0, write.exit());
            assertTrue(write.stderr().contains("Read-only file system"), "even the owner cannot write: " + write.stderr());
            assertEquals("for root only\n", Files.readString(mount.path("secret.txt")), "root still can");
        }
    }

    @Test
    void aUmaskTakesPermissionsAwayAndNeverAddsAny() throws IOException {
        try (Mount mount = Mount.of(archive, "-o", "allow_other,default_permissions,umask=022")) {
            assertEquals("600 644 755 700\n", asOtherUser(mount, "stat", "-c", "%a", "secret.txt", "public.txt", "open",
                    "closed").ok().out().replace('\n', ' ').trim() + "\n");
            assertEquals("-rw-------\n", asOtherUser(mount, "stat", "-c", "%A", "secret.txt").ok().out());
            assertDenied(asOtherUser(mount, "cat", "secret.txt"));
            assertDenied(asOtherUser(mount, "ls", "closed"));
            assertEquals("for everyone\n", asOtherUser(mount, "cat", "public.txt").ok().out());
        }
        try (Mount mount = Mount.of(archive, "-o", "allow_other,default_permissions,umask=077")) {
            assertEquals("700 600 600 700\n", Programs.run(mount.point, Map.of(), List.of("stat", "-c", "%a", ".",
                    "public.txt", "theirs.txt", "open")).ok().out().replace('\n', ' ').trim() + "\n");
            assertDenied(asOtherUser(mount, "cat", "public.txt"));
            assertDenied(asOtherUser(mount, "cat", "theirs.txt")); // its own file, behind the root's 0700
        }
    }
}
