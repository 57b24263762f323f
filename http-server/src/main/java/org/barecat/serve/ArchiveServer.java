package org.barecat.serve;

import org.barecat.core.ArchiveView;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.URI;

/**
 * {@code barecat serve}: one archive over HTTP, read-only, on Jetty. {@code /files/PATH} gives a
 * file's bytes (ranges, ETag from its CRC-32C, Last-Modified), {@code /api/list?path=DIR},
 * {@code /api/entry?path=PATH} and {@code /api/find?pattern=GLOB} describe the tree as JSON,
 * {@code /api/thumb?path=PATH} gives an image's thumbnail, and {@code /} is a web page that browses
 * the archive with them. Only what the index names can be reached: every request is a lookup in the
 * index, never a path on disk.
 */
public final class ArchiveServer implements AutoCloseable {
    /**
     * @param bind   the address to listen on ({@code 127.0.0.1} unless told otherwise)
     * @param port   the port, 0 for any free one
     * @param verify check each file's CRC-32C before sending it: a mismatch is a 500, never the bytes
     */
    public record Settings(String bind, int port, boolean verify) {
    }

    /** Threads that decode images for thumbnails, jobs that may wait for them, and the thumbnails' cache. */
    private static final int THUMBNAIL_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    private static final int THUMBNAIL_QUEUE = 256;
    private static final long THUMBNAIL_CACHE_BYTES = 64L << 20;

    private final Server server;
    private final ServerConnector connector;
    private final Thumbnails thumbnails;

    private ArchiveServer(Server server, ServerConnector connector, Thumbnails thumbnails) {
        this.server = server;
        this.connector = connector;
        this.thumbnails = thumbnails;
    }

    /**
     * Starts serving {@code archive} (which stays the caller's to close, after this server).
     *
     * @throws IOException when the address cannot be listened on, naming it
     */
    public static ArchiveServer start(ArchiveView archive, Settings settings) throws IOException {
        return start(archive, settings, new Thumbnails(archive, settings.verify(), THUMBNAIL_THREADS, THUMBNAIL_QUEUE,
                THUMBNAIL_CACHE_BYTES));
    }

    /** Starts serving with {@code thumbnails} (which this server closes). */
    static ArchiveServer start(ArchiveView archive, Settings settings, Thumbnails thumbnails) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("barecat-serve");
        threads.setDaemon(true);
        // Jetty's default pool keeps buffers of up to 64 KiB: larger ones would be allocated anew each time
        Server server = new Server(threads, null, new ArrayByteBufferPool(0, 4096, ArchiveHandler.CHUNK));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new ArchiveHandler(archive, settings.verify(), thumbnails));
        try {
            server.start();
        } catch (Exception e) {
            thumbnails.close();
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            Throwable cause = e.getCause() != null && e instanceof RuntimeException ? e.getCause() : e;
            throw new IOException(settings.bind() + ":" + settings.port() + ": cannot listen (" + cause.getMessage() + ")", e);
        }
        return new ArchiveServer(server, connector, thumbnails);
    }

    /** Where the server answers, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
    }

    /** Waits until the server is stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("stopping the server: " + e.getMessage(), e);
        } finally {
            thumbnails.close();
        }
    }
}
