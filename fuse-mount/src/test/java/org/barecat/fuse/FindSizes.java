package org.barecat.fuse;

import org.barecat.core.ArchiveWriter;
import org.barecat.core.Attributes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code find} shows of a mounted tree, and files that make it tell them apart, for tests. */
final class FindSizes {
    private FindSizes() {
    }

    /**
     * Adds {@code count} files named {@code String.format(nameFormat, f)}, each of {@code f} zero
     * bytes (f from 0): each shows its own size. Returns the lines {@link #of} prints for them.
     */
    static String addSized(ArchiveWriter w, String nameFormat, int count) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int f = 0; f < count; f++) {
            String name = String.format(nameFormat, f);
            w.add(name, new byte[f], Attributes.NONE);
            lines.append(name).append(' ').append(f).append('\n');
        }
        return lines.toString();
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
