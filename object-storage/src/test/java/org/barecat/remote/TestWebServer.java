package org.barecat.remote;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real web server for tests: Debian's nginx on loopback serving a directory (range requests are
 * built in), each GET written to an access log the test counts. {@link #close} stops it.
 */
public final class TestWebServer implements AutoCloseable {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Path root;
    private final Path log;
    private final int port;
    private final Process process;

    private TestWebServer(Path root, Path log, int port, Process process) {
        this.root = root;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    public static boolean available() {
        return Files.isExecutable(NGINX);
    }

    /** Starts nginx serving {@code root}, keeping its configuration and logs in {@code work}. */
    public static TestWebServer start(Path root, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work.resolve("tmp"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("access.log");
        boolean root0 = "root".equals(System.getProperty("user.name"));
        Files.writeString(work.resolve("nginx.conf"), String.join("\n",
                root0 ? "user root root;" : "",
                "worker_processes 1;",
                "pid " + work.resolve("nginx.pid") + ";",
                "error_log " + work.resolve("error.log") + " warn;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log " + log + " combined;",
                "  client_body_temp_path " + work.resolve("tmp") + ";",
                "  proxy_temp_path " + work.resolve("tmp") + ";",
                "  fastcgi_temp_path " + work.resolve("tmp") + ";",
                "  uwsgi_temp_path " + work.resolve("tmp") + ";",
                "  scgi_temp_path " + work.resolve("tmp") + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    root " + root + ";",
                "  }",
                "}", ""));
        Process process = new ProcessBuilder(NGINX.toString(), "-p", work.toString(), "-c", work.resolve("nginx.conf").toString(),
                "-e", work.resolve("error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(work.resolve("stdout.log").toFile()).start();
        TestWebServer server = new TestWebServer(root, log, port, process);
        while (!server.listening()) {
            if (!process.isAlive()) {
                throw new IOException("nginx did not start: " + Files.readString(work.resolve("stdout.log"))
                        + Files.readString(work.resolve("error.log")));
            }
            Thread.sleep(20);
        }
        return server;
    }

    private boolean listening() {
        try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    public Path root() {
        return root;
    }

    /** GETs answered so far (nginx writes its log line when the response is done) of paths starting with {@code prefix}. */
    public long gets(String prefix) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(log);
        return lines.stream().filter(l -> l.contains("\"GET " + prefix)).count();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
