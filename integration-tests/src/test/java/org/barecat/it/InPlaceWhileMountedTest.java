package org.barecat.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The commands that change an archive in place (rm, mv, add) refuse while it is mounted, in one line,
 * changing nothing; once it is unmounted they work. The mount holds a shared lock on the index.
 */
class InPlaceWhileMountedTest {
    @TempDir
    Path tmp;

    @Test
    void rmMvAndAddRefuseWhileTheArchiveIsMounted() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source/a"));
        Files.writeString(source.resolve("one"), "1");
        Files.writeString(source.resolve("two"), "2");
        Path extra = Files.createDirectories(tmp.resolve("extra"));
        Files.writeString(extra.resolve("three"), "3");
        Path archive = tmp.resolve("x.barecat");
        Launchers.barecat("create", "-C", source.getParent().toString(), archive.toString(), ".").ok();
        String listed = Launchers.barecat("ls", "-R", archive.toString()).ok().out();
        String refused = archive + ": the archive is mounted or open in another program; unmount it"
                + " (fusermount -u MOUNTPOINT) or close that program first\n";
        try (Mount mount = Mount.of(archive)) {
            for (String[] command : new String[][] {{"rm", archive.toString(), "a/one"},
                    {"mv", archive.toString(), "a/one", "a/uno"},
                    {"add", "-C", extra.toString(), archive.toString(), "three"}}) {
                Programs.Result r = Launchers.barecat(command);
                assertEquals(1, r.exit(), String.join(" ", command));
                assertEquals("barecat: " + refused, r.stderr(), String.join(" ", command));
            }
            assertEquals("1", Files.readString(mount.path("a/one")), "the mount goes on serving");
        }
        assertEquals(listed, Launchers.barecat("ls", "-R", archive.toString()).ok().out(), "nothing changed");
        Launchers.barecat("mv", archive.toString(), "a/one", "a/uno").ok();
        Launchers.barecat("rm", archive.toString(), "a/two").ok();
        Launchers.barecat("verify", archive.toString()).ok();
        try (Mount mount = Mount.of(archive)) {
            assertEquals("1", Files.readString(mount.path("a/uno")));
            assertEquals(false, Files.exists(mount.path("a/two")));
        }
    }
}
