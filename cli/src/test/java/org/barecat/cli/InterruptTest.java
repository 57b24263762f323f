package org.barecat.cli;

import org.barecat.testing.ArchiveSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real barecat process stopped by a signal in the middle of its work leaves nothing half-written. */
class InterruptTest {
    @TempDir
    Path tmp;

    /** A barecat process started as bin/barecat starts it, with this test's class path. */
    static Process start(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dfile.encoding=UTF-8",
                // as bin/barecat-launch starts the JVM: no warnings about native access on Java 24 and newer
                "--enable-native-access=ALL-UNNAMED", "-Dsun.misc.unsafe.memory.access=allow",
                "-cp", System.getProperty("java.class.path"), BarecatCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits (without a time limit of its own: the process is alive and blocked on stdin) for a file to appear. */
    private static void awaitFile(Path p, Process process) throws InterruptedException {
        while (!Files.exists(p)) {
            assertTrue(process.isAlive(), "the process ended early");
            Thread.sleep(20);
        }
    }

    /**
     * A named pipe for {@code -T}: the process reads paths from it and, while the test holds it open,
     * waits for more, so the only way out is the signal (closing stdin, as Process.destroy does, would
     * not end the list).
     */
    private OutputStream pathPipe(Path fifo, String paths) throws Exception {
        TestTrees.exec(tmp, "mkfifo", fifo.toString());
        java.util.concurrent.CompletableFuture<OutputStream> writer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.newOutputStream(fifo); // blocks until the process opens the pipe
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return new java.io.FilterOutputStream(null) {
            boolean written;

            @Override
            public void flush() throws java.io.IOException {
                OutputStream o = writer.join();
                if (!written) {
                    o.write(paths.getBytes(StandardCharsets.UTF_8));
                    written = true;
                }
                o.flush();
            }

            @Override
            public void close() throws java.io.IOException {
                writer.join().close();
            }
        };
    }

    @Test
    void sigtermDuringCreateLeavesNoArchive() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("out/s.barecat");
        Files.createDirectories(archive.getParent());
        Path fifo = tmp.resolve("paths");
        Process p = start("create", "-q", "-j", "1", "-T", fifo.toString(), "-C", src.toString(), archive.toString());
        try (OutputStream paths = pathPipe(fifo, "top.txt\na/big.bin\n")) {
            paths.flush(); // the pipe stays open: the process now waits for more paths, mid-create
            awaitFile(tmp.resolve("out/s.barecat-shard-00000"), p);
            p.destroy(); // SIGTERM
            p.waitFor();
        }
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(List.of(), left.toList(), "nothing left behind");
        }
    }

    @Test
    void sigtermDuringAddLeavesTheArchiveAsItWas() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("s.barecat");
        assertEquals(0, Cli.run("create", "-q", "-C", src.toString(), archive.toString(), "a").code());
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        Path fifo = tmp.resolve("paths");
        Process p = start("add", "-q", "-j", "1", "-T", fifo.toString(), "-C", src.toString(), archive.toString());
        try (OutputStream paths = pathPipe(fifo, "top.txt\nmissing\n")) {
            paths.flush();
            // "missing" is reported after top.txt was added; then the process waits for more paths
            assertEquals("barecat: ", new String(p.getInputStream().readNBytes(9), StandardCharsets.UTF_8));
            p.destroy();
            p.waitFor();
        }
        before.assertUnchanged();
        assertEquals(0, Cli.run("verify", "-q", archive.toString()).code());
        assertEquals(List.of("a/"), TestTrees.lines(Cli.run("ls", archive.toString()).out()));
    }

    @Test
    void bytesASigkilledAddLeftAreReportedByVerifyAndCutOffByTheNextAdd() throws Exception {
        // a killed add cannot cut its bytes back: they used to stay for good, the next add writing after
        // them, and verify said nothing
        Path src = TestTrees.sample(tmp.resolve("src"));
        Files.write(src.resolve("huge.bin"), new byte[4 << 20]);
        Path archive = tmp.resolve("s.barecat");
        Path shard = tmp.resolve("s.barecat-shard-00000");
        assertEquals(0, Cli.run("create", "-q", "-C", src.toString(), archive.toString(), "a").code());
        long accounted = Files.size(shard);
        Path fifo = tmp.resolve("paths");
        Process p = start("add", "-q", "-j", "1", "-T", fifo.toString(), "-C", src.toString(), archive.toString());
        try (OutputStream paths = pathPipe(fifo, "huge.bin\n")) {
            paths.flush(); // the process stores huge.bin, then waits for more paths
            while (Files.size(shard) < accounted + (3 << 20)) {
                assertTrue(p.isAlive(), "the process ended early");
                Thread.sleep(20);
            }
            p.destroyForcibly(); // SIGKILL: no chance to cut the shard back
            p.waitFor();
        }
        long left = Files.size(shard);
        assertTrue(left > accounted, left + " bytes");

        Cli.Run verify = Cli.run("verify", "-q", archive.toString());
        assertTrue(verify.err().contains("barecat: " + shard + ": bytes " + accounted + " to " + left + " belong to"
                + " no file (" + (left - accounted) + " bytes at the end, left by an interrupted write or by deleted"
                + " files); appending to the archive cuts them off\n"), verify.err());

        Cli.Run add = Cli.run("add", "-q", "-C", src.toString(), archive.toString(), "top.txt");
        assertEquals(0, add.code(), add.err());
        assertEquals(accounted + 4, Files.size(shard), "top.txt went right after the last file");
        assertEquals("top\n", Cli.run("cat", archive.toString(), "top.txt").out());
        Cli.Run again = Cli.run("verify", "-q", archive.toString());
        assertEquals(0, again.code(), again.out());
        assertEquals("", again.err());
        assertEquals(List.of("a/", "top.txt"), TestTrees.lines(Cli.run("ls", archive.toString()).out()));
    }
}
