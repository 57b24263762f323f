package org.barecat.serve;

import org.barecat.core.FileEntry;
import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real server on loopback, asked by real clients: the JDK's, curl and Python's urllib. */
class ArchiveServerTest {
    @TempDir
    static Path tmp;
    static byte[] big;
    static final HttpClient client = HttpClient.newHttpClient();
    @RegisterExtension
    static final ClassResource<ServedArchive> served = new ClassResource<>(dir -> {
        big = new byte[3 << 20];
        new Random(3).nextBytes(big);
        Path index = dir.resolve("data.barecat");
        try (TreeBuilder w = TreeBuilder.archive(index)) {
            w.file("train/cat/001.jpg", "jpeg bytes");
            w.file("train/cat/002.png", "png bytes");
            w.file("train/dog/big.bin", big);
            w.file("notes.txt", "héllo\n");
            w.file("secret/..hidden", "dots in a name are fine");
            for (int i = 0; i < 25; i++) {
                w.file(String.format("many/f%02d", i), "x" + i);
            }
        }
        return ServedArchive.of(index, false);
    });

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return served.get().get(path, headers);
    }

    private static URI uri(String path) {
        return served.get().server().uri().resolve(path);
    }

    @Test
    void aFileComesWholeWithItsTypeLengthAndValidators() throws Exception {
        HttpResponse<byte[]> r = get("/files/train/dog/big.bin");
        assertEquals(200, r.statusCode());
        assertArrayEquals(big, r.body());
        assertEquals(String.valueOf(big.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        FileEntry f = (FileEntry) served.get().archive().lookup("train/dog/big.bin").orElseThrow();
        assertEquals(ArchiveHandler.etag(f), r.headers().firstValue("ETag").orElseThrow());
        assertTrue(r.headers().firstValue("Last-Modified").isPresent());
        assertEquals("image/jpeg", get("/files/train/cat/001.jpg").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("image/png", get("/files/train/cat/002.png").headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> text = get("/files/notes.txt");
        assertEquals("text/plain;charset=utf-8", text.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("héllo\n", new String(text.body(), StandardCharsets.UTF_8));
    }

    @Test
    void rangesAnswer206OrTheWholeOr416() throws Exception {
        String url = "/files/train/dog/big.bin";
        HttpResponse<byte[]> r = get(url, "Range", "bytes=10-19");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(big, 10, 20), r.body());
        assertEquals("bytes 10-19/" + big.length, r.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(big, big.length - 5, big.length), get(url, "Range", "bytes=-5").body());
        assertArrayEquals(Arrays.copyOfRange(big, 3_000_000, big.length), get(url, "Range", "bytes=3000000-").body());
        assertArrayEquals(Arrays.copyOfRange(big, 5, big.length), get(url, "Range", "bytes=5-99999999999999999999").body());
        HttpResponse<byte[]> beyond = get(url, "Range", "bytes=" + big.length + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + big.length, beyond.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(200, get(url, "Range", "bytes=0-1,5-9").statusCode()); // several ranges: the whole
        assertEquals(200, get(url, "Range", "bytes=x-y").statusCode());
        String etag = get(url).headers().firstValue("ETag").orElseThrow();
        assertEquals(206, get(url, "Range", "bytes=0-0", "If-Range", etag).statusCode());
        assertEquals(200, get(url, "Range", "bytes=0-0", "If-Range", "\"another\"").statusCode());
        assertEquals(304, get(url, "If-None-Match", etag).statusCode());
    }

    @Test
    void curlResumesAPartialDownload() throws Exception {
        Path out = tmp.resolve("resumed.bin");
        Files.write(out, Arrays.copyOf(big, 1_000_000));
        Process p = new ProcessBuilder("curl", "-sS", "-f", "-C", "-", "-o", out.toString(),
                uri("/files/train/dog/big.bin").toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        assertArrayEquals(big, Files.readAllBytes(out));
    }

    @Test
    void pythonsUrllibReadsARange() throws Exception {
        String script = "import urllib.request, sys\n"
                + "r = urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={'Range': 'bytes=100-199'}))\n"
                + "sys.stdout.write('%d %s ' % (r.status, r.headers['Content-Range']))\n"
                + "sys.stdout.write(r.read().hex())\n";
        Process p = new ProcessBuilder("python3", "-c", script, uri("/files/train/dog/big.bin").toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        StringBuilder hex = new StringBuilder();
        for (int i = 100; i < 200; i++) {
            hex.append(String.format("%02x", big[i]));
        }
        assertEquals("206 bytes 100-199/" + big.length + " " + hex, said);
    }

    @Test
    void listingsComeInPagesWithTheIndexAggregates() throws Exception {
        Map<?, ?> root = json("/api/list?path=");
        assertEquals("directory", root.get("type"));
        assertEquals(30L, root.get("files"));
        Map<?, ?> first = json("/api/list?path=many&limit=10");
        assertEquals(10, ((Object[]) first.get("entries")).length);
        assertEquals(true, first.get("more"));
        Map<?, ?> last = json("/api/list?path=/many/&offset=20&limit=10");
        Object[] entries = (Object[]) last.get("entries");
        assertEquals(5, entries.length);
        assertEquals("f20", ((Map<?, ?>) entries[0]).get("name"));
        assertEquals(false, last.get("more"));
        Map<?, ?> file = json("/api/entry?path=train/dog/big.bin");
        assertEquals((long) big.length, file.get("size"));
        assertTrue(((String) file.get("crc32c")).matches("[0-9a-f]{8}"));
        assertEquals(400, get("/api/list?path=many&limit=0").statusCode());
        assertEquals(404, get("/api/list?path=notes.txt").statusCode());
        assertEquals(404, get("/api/entry?path=nothing").statusCode());
    }

    private static Map<?, ?> json(String path) throws Exception {
        HttpResponse<byte[]> r = get(path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        return (Map<?, ?>) new JSON().fromJSON(new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void nothingOutsideTheArchiveIsReachableAndOddPathsAreRefused() throws Exception {
        Files.writeString(tmp.resolve("outside.txt"), "not in the archive");
        // raw request lines, as a hostile client sends them (the JDK's client would normalize some)
        for (String target : List.of("/files/../outside.txt", "/files/%2e%2e/outside.txt", "/files/train%2fcat/001.jpg",
                "/files/notes.txt%00", "/files/%c0%ae%c0%ae/outside.txt", "/files/train/../../../etc/passwd",
                "/files//etc/passwd", "/files/train/cat/../../notes.txt/..", "/../../etc/passwd")) {
            String reply = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String status = reply.substring(0, reply.indexOf("\r\n"));
            assertTrue(status.matches("HTTP/1.1 (400|404) .*"), target + ": " + status);
            assertFalse(reply.contains("not in the archive") || reply.contains("root:"), target);
        }
        assertEquals(200, get("/files/secret/..hidden").statusCode());
        assertEquals(404, get("/files/train").statusCode());
        assertEquals(405, client.send(HttpRequest.newBuilder(uri("/files/notes.txt"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
    }

    private static String raw(String request) throws IOException {
        URI uri = served.get().server().uri();
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
