package org.barecat.fuse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code find} shows of a mounted tree, for tests. */
final class FindSizes {
    private FindSizes() {
    }

    /** Path and size of every file below {@code root}, as {@code find -printf '%P %s\n'} prints them (it lstats each one), sorted. */
    static String of(Path root) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "cd '" + root + "' && find . -type f -printf '%P %s\\n' | LC_ALL=C sort")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "find");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
