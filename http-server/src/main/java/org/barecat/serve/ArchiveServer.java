package org.barecat.serve;

import org.barecat.core.ArchiveView;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.URI;

/**
 * {@code barecat serve}: one archive over HTTP, read-only, on Jetty. {@code /files/PATH} gives a
 * file's bytes (ranges, ETag from its CRC-32C, Last-Modified), {@code /api/list?path=DIR} and
 * {@code /api/entry?path=PATH} describe the tree as JSON. Only what the index names can be reached:
 * every request is a lookup in the index, never a path on disk.
 */
public final class ArchiveServer implements AutoCloseable {
    /**
     * @param bind   the address to listen on ({@code 127.0.0.1} unless told otherwise)
     * @param port   the port, 0 for any free one
     * @param verify check each file's CRC-32C before sending it: a mismatch is a 500, never the bytes
     */
    public record Settings(String bind, int port, boolean verify) {
    }

    private final Server server;
    private final ServerConnector connector;

    private ArchiveServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts serving {@code archive} (which stays the caller's to close, after this server).
     *
     * @throws IOException when the address cannot be listened on, naming it
     */
    public static ArchiveServer start(ArchiveView archive, Settings settings) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("barecat-serve");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new ArchiveHandler(archive, settings.verify()));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            Throwable cause = e.getCause() != null && e instanceof RuntimeException ? e.getCause() : e;
            throw new IOException(settings.bind() + ":" + settings.port() + ": cannot listen (" + cause.getMessage() + ")", e);
        }
        return new ArchiveServer(server, connector);
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
        }
    }
}
