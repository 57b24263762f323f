package org.barecat.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.barecat.remote.RemoteArchivesS3Test.assertSameFiles;
import static org.barecat.remote.RemoteArchivesS3Test.readAll;
import static org.barecat.remote.RemoteArchivesS3Test.writeArchive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A server that cuts ranged responses short (headers promise a block, the connection closes halfway):
 * the read fails, nothing is cached, and the same read succeeds once the server sends whole responses.
 */
class ShortResponseTest {
    @TempDir
    Path tmp;

    /** Serves the files of {@code root} with HEAD and single ranges; cuts range bodies in half while {@code cut} is set. */
    private static HttpServer serve(Path root, AtomicBoolean cut) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                respond(root, cut, exchange);
            }
        });
        server.start();
        return server;
    }

    private static void respond(Path root, AtomicBoolean cut, HttpExchange exchange) throws IOException {
        Path file = root.resolve(exchange.getRequestURI().getPath().substring(1));
        if (!Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        byte[] all = Files.readAllBytes(file);
        exchange.getResponseHeaders().set("ETag", "\"" + all.length + "\"");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(all.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        int from = 0;
        int to = all.length - 1;
        int status = 200;
        if (range != null) {
            String[] bounds = range.substring("bytes=".length()).split("-");
            from = Integer.parseInt(bounds[0]);
            to = Math.min(to, Integer.parseInt(bounds[1]));
            status = 206;
        }
        int length = to - from + 1;
        exchange.sendResponseHeaders(status, length);
        OutputStream out = exchange.getResponseBody();
        if (status == 206 && cut.get()) {
            out.write(all, from, length / 2);
            out.flush();
            throw new IOException("cut short on purpose"); // the server drops the connection
        }
        out.write(all, from, length);
    }

    @Test
    void aShortResponseFailsTheReadAndIsNeverCached() throws Exception {
        Path www = Files.createDirectories(tmp.resolve("www"));
        Path index = writeArchive(www, "data.barecat", 9);
        AtomicBoolean cut = new AtomicBoolean();
        HttpServer server = serve(www, cut);
        RemoteOptions options = new RemoteOptions(null, null, null, false, false, tmp.resolve("cache"), RemoteOptions.DEFAULT_CACHE_SIZE, false);
        try (Archive local = Archive.open(index);
             Archive remote = RemoteArchives.open("http://127.0.0.1:" + server.getAddress().getPort() + "/data.barecat", options)) {
            FileEntry file = (FileEntry) remote.lookup("dir0/file0.bin").orElseThrow();
            cut.set(true);
            assertThrows(IOException.class, () -> readAll(remote, file));
            assertEquals(0, blockFiles(tmp.resolve("cache/blocks")), "no block kept from a short response");
            cut.set(false);
            assertSameFiles(local, remote);
        } finally {
            server.stop(0);
        }
    }

    private static long blockFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
