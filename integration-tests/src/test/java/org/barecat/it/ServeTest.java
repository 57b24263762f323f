package org.barecat.it;

import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** barecat serve through its launcher: wget and curl fetch what the source tree holds, and it stops on SIGTERM. */
class ServeTest {
    @TempDir
    Path tmp;

    @Test
    void wgetAndCurlFetchTheSourcesBytesAndSigtermStopsIt() throws Exception {
        Path source = tree(tmp.resolve("src"), 6);
        Path archive = Launchers.create(source, tmp.resolve("data.barecat"));
        Process server = new ProcessBuilder(Launchers.bin("barecat").toString(), "serve", archive.toString(), "--port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.startsWith("Serving " + archive + " at http://127.0.0.1:"), line);
            String base = line.substring(line.indexOf(" at ") + 4);
            List<Path> files;
            try (var walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                String rel = source.relativize(f).toString();
                Path got = tmp.resolve("got-" + rel.replace('/', '_'));
                Programs.run("wget", "-q", "-O", got.toString(), base + "files/" + rel).ok();
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(got), rel);
            }
            Programs.Result head = Programs.run("curl", "-sS", "-I", base + "files/" + source.relativize(files.get(0)));
            head.ok();
            assertTrue(head.out().contains("Content-Length: " + Files.size(files.get(0))), head.out());
            assertEquals("404", Programs.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", base + "files/nothing").out());
        } finally {
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
        }
    }

    /** {@code files} files of a few hundred KB in two class folders. */
    private static Path tree(Path root, int files) throws Exception {
        java.util.Random random = new java.util.Random(files);
        try (TreeBuilder w = TreeBuilder.directory(root)) {
            for (int i = 0; i < files; i++) {
                byte[] data = new byte[1000 + random.nextInt(300_000)];
                random.nextBytes(data);
                w.file("class" + (i % 2) + "/img_" + i + ".jpg", data);
            }
        }
        return root;
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        Path source = tree(tmp.resolve("src"), 1);
        Path archive = Launchers.create(source, tmp.resolve("data.barecat"));
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Programs.Result r = Launchers.barecat("serve", archive.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, r.exit(), r.stderr());
            List<String> lines = r.stderr().lines().toList();
            assertEquals(1, lines.size(), r.stderr());
            assertTrue(lines.get(0).startsWith("barecat: 127.0.0.1:" + taken.getLocalPort() + ": cannot listen"), lines.get(0));
        }
    }
}
