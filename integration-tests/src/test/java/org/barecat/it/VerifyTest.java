package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -o verify}: a reader never gets to the end of a file whose bytes do not have the CRC-32C
 * stored in the index; it gets "Input/output error" instead, every time, and the daemon logs it once.
 */
class VerifyTest {
    private static final int DAMAGED_AT = 2_000_000;

    static Path source;
    /** big.bin has one byte flipped in the shard, 2 MB in; everything else is intact. */
    static Path damaged;
    static Path intact;

    @BeforeAll
    static void buildArchives(@TempDir Path tmp) throws IOException {
        Random random = new Random(11);
        source = TreeBuilder.directory(tmp.resolve("source"))
                .file("big.bin", Trees.randomBytes(random, 3 * 1024 * 1024 + 5))
                .file("other.bin", Trees.randomBytes(random, 700_000))
                .file("small.txt", "small and intact\n")
                .build();
        intact = Files.createDirectory(tmp.resolve("intact")).resolve("v.barecat");
        Launchers.create(source, intact);

        damaged = Files.createDirectory(tmp.resolve("damaged")).resolve("v.barecat");
        Launchers.create(source, damaged);
        long offset = Long.parseLong(Sql.query(damaged, "SELECT offset FROM files WHERE path = 'big.bin'").trim());
        try (RandomAccessFile shard = new RandomAccessFile(damaged + "-shard-00000", "rw")) {
            shard.seek(offset + DAMAGED_AT);
            int b = shard.read();
            shard.seek(offset + DAMAGED_AT);
            shard.write(b ^ 0x01);
        }
    }

    @Test
    void readingADamagedFileToItsEndFailsEveryTimeAndIsLoggedOnce(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("verify.log");
        try (Mount mount = Mount.of(damaged, "-o", "verify", "--log", log.toString())) {
            for (String reader : List.of("cat big.bin", "cat big.bin", "tail -c 100 big.bin", "cp big.bin /dev/null")) {
                Programs.Result r = Programs.sh(mount.point, reader + " > /dev/null");
                assertEquals(1, r.exit(), reader);
                assertEquals("Input/output error", r.stderr().substring(r.stderr().lastIndexOf(": ") + 2).trim(), reader);
            }
            byte[] expected = Files.readAllBytes(source.resolve("big.bin"));
            assertArrayEquals(Arrays.copyOf(expected, 100_000),
                    Programs.sh(mount.point, "head -c 100000 big.bin").ok().stdout(), "a read that stops early is served");
            for (String name : List.of("other.bin", "small.txt")) {
                assertArrayEquals(Files.readAllBytes(source.resolve(name)), Files.readAllBytes(mount.path(name)), name);
            }
        }
        List<String> logged = Files.readAllLines(log).stream().filter(l -> l.contains("big.bin"))
                .collect(Collectors.toList());
        assertEquals(1, logged.size(), logged.toString());
        assertFalse(logged.get(0).contains("other.bin"));
    }

    /** A line of the launchers' log: time to the millisecond, level, message. */
    private static final String LOG_LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[ERROR\\] .*big\\.bin.*";

    @Test
    void theDaemonsLogIsRolledOncePastItsSizeLimit(@TempDir Path tmp) throws IOException {
        Path log = tmp.resolve("rolled.log");
        String old = "an old line\n".repeat(1_000_000); // 12 MB: over the 10 MB limit
        Files.writeString(log, old);
        try (Mount mount = Mount.of(damaged, "-o", "verify", "--log", log.toString())) {
            assertEquals(1, Programs.sh(mount.point, "cat big.bin > /dev/null").exit());
        }
        assertEquals(old, Files.readString(Path.of(log + ".1")), "the full log became FILE.1");
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(LOG_LINE), lines.get(0));
    }

    @Test
    void inTheForegroundTheDaemonLogsToStderr(@TempDir Path tmp) throws Exception {
        Path mnt = Files.createTempDirectory(tmp, "mnt-fg-");
        Path err = tmp.resolve("foreground.err");
        Process daemon = new ProcessBuilder(Launchers.bin("barecat-mount").toString(), "-f", "-o", "verify",
                damaged.toString(), mnt.toString()).redirectError(err.toFile()).start();
        try {
            for (int i = 0; i < 10_000 && !MountExtension.isMounted(mnt); i++) {
                Thread.sleep(1);
            }
            assertTrue(MountExtension.isMounted(mnt), "mounted in the foreground");
            assertEquals(1, Programs.sh(mnt, "cat big.bin > /dev/null").exit());
        } finally {
            MountExtension.unmount(mnt);
            daemon.waitFor(20, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(err);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches(LOG_LINE), lines.get(0));
    }

    @Test
    void anAdminsLogbackConfigurationReplacesTheLaunchers(@TempDir Path tmp) throws IOException {
        Path theirs = tmp.resolve("admin.log");
        Path config = tmp.resolve("logback-admin.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="file" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>ADMIN %%level %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="info"><appender-ref ref="file"/></root>
                </configuration>
                """.formatted(theirs));
        Path log = tmp.resolve("not-the-admins.log");
        try (Mount mount = Mount.of(damaged, Map.of("BARECAT_JAVA_OPTS", "-Dlogback.configurationFile=" + config),
                "-o", "verify", "--log", log.toString())) {
            assertEquals(1, Programs.sh(mount.point, "cat big.bin > /dev/null").exit());
        }
        List<String> lines = Files.readAllLines(theirs);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("ADMIN ERROR ") && lines.get(0).contains("big.bin"), lines.get(0));
        assertEquals("", Files.readString(log), "--log holds nothing the admin's configuration sends elsewhere");
    }

    @Test
    void withoutVerifyTheStoredBytesAreServedAsTheyAre() throws IOException {
        try (Mount mount = Mount.of(damaged)) {
            byte[] served = Files.readAllBytes(mount.path("big.bin"));
            byte[] original = Files.readAllBytes(source.resolve("big.bin"));
            assertEquals(original.length, served.length);
            assertEquals(original[DAMAGED_AT] ^ 0x01, served[DAMAGED_AT]);
        }
    }

    @Test
    void intactFilesReadInAnyOrderPassVerification() throws IOException {
        try (Mount mount = Mount.of(intact, "-o", "verify")) {
            Programs.run("diff", "-r", source.toString(), mount.point.toString()).ok();
            // chunks in shuffled order through one descriptor, then the whole file again
            Programs.run("python3", "-c", String.join("\n",
                    "import os, random, sys",
                    "mounted, original = sys.argv[1], open(sys.argv[2], 'rb').read()",
                    "fd = os.open(mounted, os.O_RDONLY)",
                    "chunks = list(range(0, len(original), 65536))",
                    "random.Random(5).shuffle(chunks)",
                    "for at in chunks:",
                    "    assert os.pread(fd, 65536, at) == original[at:at + 65536], at",
                    "assert os.pread(fd, len(original), 0) == original",
                    "os.close(fd)"), mount.path("big.bin").toString(), source.resolve("big.bin").toString()).ok();
        }
    }
}
