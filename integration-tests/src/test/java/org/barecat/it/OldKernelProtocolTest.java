package org.barecat.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The mount serves the same tree when INIT is capped at the protocol of an older kernel: what
 * clusters still run (RHEL 8's 4.18 speaks 7.27, RHEL 9's 5.14 speaks 7.33) and libfuse 2's 7.19,
 * which has no READDIRPLUS, no large requests and hands out file handles on open.
 */
class OldKernelProtocolTest {
    static Path source;
    static Path archive;
    static String expected;
    /** {@code ls -lR} of the archive mounted with the running kernel's protocol. */
    static String listedByTodaysProtocol;

    @BeforeAll
    static void pack(@TempDir Path tmp) throws IOException {
        source = Trees.buildAwkwardTree(tmp.resolve("source"));
        archive = Launchers.create(source, tmp.resolve("tree.barecat"));
        expected = Trees.snapshot(source);
        try (Mount mount = Mount.of(archive)) {
            listedByTodaysProtocol = lsLR(mount.point);
        }
    }

    static String lsLR(Path root) {
        return Programs.run("ls", "-lR", "--time-style=+%s", root.toString()).ok().out().replace(root.toString(), "ROOT");
    }

    @ParameterizedTest(name = "-o {0}")
    @ValueSource(strings = {"max_protocol=7.19", "max_protocol=7.27", "max_protocol=7.27,readdirplus",
            "max_protocol=7.33", "max_protocol=7.33,readdirplus"})
    void anOlderProtocolServesTheSameTree(String options, @TempDir Path copy) throws IOException {
        try (Mount mount = Mount.of(archive, "-o", options)) {
            assertEquals(expected, Trees.snapshot(mount.point), "find/stat/sha256sum through the mount");
            Programs.run("cp", "-r", mount.point + "/.", copy.toString()).ok();
            Programs.run("diff", "-r", source.toString(), copy.toString()).ok();
            assertEquals(listedByTodaysProtocol, lsLR(mount.point), "ls -lR as with the running kernel's protocol");
        }
    }
}
