package org.barecat.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code barecat shell} through bin/barecat, as a script would use it: lines on stdin, then -c. */
class ShellTest {
    @TempDir
    Path tmp;

    @Test
    void aSessionOnStdinChangesTheArchiveThatVerifiesAfter() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        Files.writeString(src.resolve("a.txt"), "a\n");
        Files.writeString(tmp.resolve("new.txt"), "new\n");
        Path archive = Launchers.create(tmp.resolve("src"), tmp.resolve("s.barecat"));
        String out = Programs.sh(tmp, "printf 'cd d\\nls\\nput new.txt\\nmv a.txt b.txt\\nls\\n' | \"$1\" shell -w \"$2\"",
                Launchers.bin("barecat").toString(), archive.toString()).ok().out();
        assertEquals("Barecat shell. Type help or ? for commands, .quit to exit.\n"
                + "barecat:/> barecat:/d> a.txt\n"
                + "barecat:/d> Added: " + tmp.resolve("new.txt") + " -> d/new.txt\n"
                + "barecat:/d> Renamed: d/a.txt -> d/b.txt\n"
                + "barecat:/d> b.txt\nnew.txt\n"
                + "barecat:/d> \n", out);
        Launchers.barecat("verify", archive.toString()).ok();
        assertEquals("new\n", Launchers.barecat("shell", "-c", "cat d/new.txt", archive.toString()).ok().out());
        assertEquals("hi\n", Launchers.barecat("shell", "-c", "!echo hi", archive.toString()).ok().out(),
                "! runs a local shell command");
        assertEquals("rm: archive is read-only (use barecat-shell --write)\n",
                Launchers.barecat("shell", "-c", "rm d/b.txt", archive.toString()).ok().out());
    }
}
