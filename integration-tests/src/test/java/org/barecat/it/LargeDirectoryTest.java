package org.barecat.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A directory with a million children lists completely, with a daemon heap far smaller than the listing. */
class LargeDirectoryTest {
    private static final int CHILDREN = 1_000_000;

    @TempDir
    Path tmp;

    @Test
    void listsMillionEntryDirectoryInBoundedMemory() throws IOException {
        Path archive = tmp.resolve("flat.barecat");
        Programs.run("python3", Launchers.HOME.resolve("integration-tests/src/test/resources/many_files.py").toString(),
                archive.toString(), Integer.toString(CHILDREN), "1").ok();
        // 1,000,000 names of 12 bytes, as Java strings and entries, would not fit in this heap at once.
        try (Mount mount = Mount.of(archive, Map.of("BARECAT_JAVA_OPTS", "-Xmx40m"))) {
            Programs.Result listing = Programs.sh(mount.point, "ls -f flat | LC_ALL=C sort | sha256sum; ls -f flat | wc -l");
            String expected = Programs.sh(tmp, "{ echo .; echo ..; for i in $(seq -f '%07g' 0 999999); do echo f$i.jpg; done; }"
                    + " | LC_ALL=C sort | sha256sum").ok().out();
            assertEquals(expected + (CHILDREN + 2) + "\n", listing.ok().out());
            long hwmKb = Files.readAllLines(Path.of("/proc/" + mount.daemon().orElseThrow().pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElseThrow();
            assertTrue(hwmKb < 250_000, "daemon peak RSS " + hwmKb + " kB");
            assertEquals("0\n", Programs.run("stat", "-c", "%s", mount.path("flat/f0999999.jpg").toString()).ok().out());
        }
    }
}
