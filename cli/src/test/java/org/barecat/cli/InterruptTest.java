package org.barecat.cli;

import org.barecat.testing.ArchiveSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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

    /** A barecat process started by {@link #startReadingPaths}, and the pipe it reads paths from. */
    private record ReadingPaths(Process process, OutputStream pipe) implements AutoCloseable {
        /** Closes the pipe: the end of the paths. */
        @Override
        public void close() throws IOException {
            pipe.close();
        }
    }

    /**
     * Starts {@code barecat COMMAND -q -j 1 -T PIPE -C src archive} (create or add) and writes {@code paths}
     * into the named pipe. The pipe stays open until the result is closed: the process reads the paths, then
     * waits for more, mid-command, so the only way out is the signal (closing stdin, as Process.destroy does,
     * would not end the list).
     */
    private ReadingPaths startReadingPaths(String command, Path src, Path archive, String paths) throws Exception {
        Path fifo = tmp.resolve("paths");
        TestTrees.exec(tmp, "mkfifo", fifo.toString());
        Process process = start(command, "-q", "-j", "1", "-T", fifo.toString(), "-C", src.toString(), archive.toString());
        OutputStream pipe = Files.newOutputStream(fifo); // blocks until the process opens the pipe
        pipe.write(paths.getBytes(StandardCharsets.UTF_8));
        pipe.flush();
        return new ReadingPaths(process, pipe);
    }

    @Test
    void sigtermDuringCreateLeavesNoArchive() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path archive = tmp.resolve("out/s.barecat");
        Files.createDirectories(archive.getParent());
        try (ReadingPaths create = startReadingPaths("create", src, archive, "top.txt\na/big.bin\n")) {
            awaitFile(tmp.resolve("out/s.barecat-shard-00000"), create.process()); // then it waits for more paths
            create.process().destroy(); // SIGTERM
            create.process().waitFor();
        }
        try (Stream<Path> left = Files.list(archive.getParent())) {
            assertEquals(List.of(), left.toList(), "nothing left behind");
        }
    }

    @Test
    void sigtermDuringAddLeavesTheArchiveAsItWas() throws Exception {
        Path archive = TestTrees.sampleArchive(tmp, "a");
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        try (ReadingPaths add = startReadingPaths("add", tmp.resolve("src"), archive, "top.txt\nmissing\n")) {
            // "missing" is reported after top.txt was added; then the process waits for more paths
            assertEquals("barecat: ", new String(add.process().getInputStream().readNBytes(9), StandardCharsets.UTF_8));
            add.process().destroy();
            add.process().waitFor();
        }
        before.assertUnchanged();
        assertEquals(0, Cli.run("verify", "-q", archive.toString()).code());
        assertEquals(List.of("a/"), TestTrees.lines(Cli.run("ls", archive.toString()).out()));
    }

    @Test
    void bytesASigkilledAddLeftAreReportedByVerifyAndCutOffByTheNextAdd() throws Exception {
        // a killed add cannot cut its bytes back: they used to stay for good, the next add writing after
        // them, and verify said nothing
        Path archive = TestTrees.sampleArchive(tmp, "a");
        Path src = tmp.resolve("src");
        Files.write(src.resolve("huge.bin"), new byte[4 << 20]);
        Path shard = tmp.resolve("s.barecat-shard-00000");
        long accounted = Files.size(shard);
        try (ReadingPaths add = startReadingPaths("add", src, archive, "huge.bin\n")) {
            // the process stores huge.bin, then waits for more paths
            while (Files.size(shard) < accounted + (3 << 20)) {
                assertTrue(add.process().isAlive(), "the process ended early");
                Thread.sleep(20);
            }
            add.process().destroyForcibly(); // SIGKILL: no chance to cut the shard back
            add.process().waitFor();
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
