package org.barecat.serve;

import org.barecat.core.Archive;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** An archive opened and served on loopback for a test, and the requests a test makes of it; closes both. */
record ServedArchive(Archive archive, ArchiveServer server) implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static ServedArchive of(Path index, boolean verify) throws IOException {
        Archive archive = Archive.open(index);
        try {
            return new ServedArchive(archive, ArchiveServer.start(archive, new ArchiveServer.Settings("127.0.0.1", 0, verify)));
        } catch (IOException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    /** A GET of {@code path} (which starts with {@code /}) with the given header names and values. */
    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            archive.close();
        }
    }
}
