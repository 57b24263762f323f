package org.barecat.fuse.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every struct layout of {@link Abi} against the kernel's own header, {@code linux/fuse.h} (Debian's
 * linux-libc-dev): a C program prints each struct's size and each field's offset, and they must be
 * what the layouts compute. Skipped, not passed, where there is no compiler or header.
 */
class AbiTest {
    private static final Path HEADER = Path.of("/usr/include/linux/fuse.h");

    @TempDir
    Path tmp;

    @Test
    void everyStructMatchesTheKernelHeader() throws Exception {
        assumeTrue(Files.isRegularFile(HEADER), HEADER + " is missing (Debian package linux-libc-dev)");
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <linux/fuse.h>\n"
                + "int main(void) {\n");
        List<String> expected = new ArrayList<>();
        for (Layout layout : Abi.ALL) {
            c.append("  printf(\"%s %zu\\n\", \"").append(layout.name()).append("\", sizeof(struct ")
                    .append(layout.name()).append("));\n");
            expected.add(layout.name() + " " + layout.size());
            for (Layout.Field f : layout.fields()) {
                c.append("  printf(\"%s %zu\\n\", \"").append(layout.name()).append('.').append(f.name())
                        .append("\", offsetof(struct ").append(layout.name()).append(", ").append(f.name())
                        .append("));\n");
                expected.add(layout.name() + "." + f.name() + " " + f.offset());
            }
        }
        c.append("  return 0;\n}\n");
        Path source = Files.writeString(tmp.resolve("abi.c"), c);
        Path binary = tmp.resolve("abi");
        assumeTrue(run(List.of("cc", "-o", binary.toString(), source.toString())) != null, "no C compiler (cc)");
        String out = run(List.of(binary.toString()));
        assertEquals(String.join("\n", expected), out == null ? null : out.strip());
    }

    @Test
    void layoutsAreLaidOutAsTheCompilerWould() {
        assertEquals(40, Abi.IN_HEADER.size());
        assertEquals(16, Abi.OUT_HEADER.size());
        assertEquals(88, Abi.ATTR.size());
        assertEquals(128, Abi.ENTRY_OUT.size());
        assertEquals(104, Abi.ATTR_OUT.size());
        assertEquals(64, Abi.INIT_OUT.size());
        assertEquals(24, Abi.DIRENT.size());
        assertEquals(152, Abi.DIRENTPLUS.size());
        assertEquals(40 + 60, Abi.ENTRY_OUT.at("attr.mode"));
        assertEquals(128, Abi.DIRENTPLUS.at("dirent"));
    }

    /** What the command printed, or null when it could not run or failed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            System.err.println(command + ": " + out);
            return null;
        }
        return out;
    }
}
