package org.barecat.remote;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real S3 server for tests: S3Proxy on loopback, a filesystem blob store, authentication on (or, for a
 * public bucket, off: {@link #startPublic}). Counts
 * the GETs it serves per key, on the server's side. {@link #stop} and {@link #start} again (same port,
 * same objects) make an outage.
 */
public final class TestS3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "barecat-test";
    public static final String SECRET_KEY = "barecat-test-secret";
    public static final String BUCKET = "data";

    private final BlobStore store;
    private final int port;
    private final AuthenticationType authentication;
    private final Map<String, AtomicLong> gets = new ConcurrentHashMap<>();
    private S3Proxy proxy;

    private TestS3Server(Path dir, int port, AuthenticationType authentication) {
        this.port = port;
        this.authentication = authentication;
        this.store = new ForwardingBlobStore(new FilesystemNio2BlobStore(dir.toString())) {
            @Override
            public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
                gets.computeIfAbsent(request.key(), k -> new AtomicLong()).incrementAndGet();
                return super.getBlob(request);
            }
        };
    }

    /** Starts a server keeping its objects under {@code dir}, with one bucket, {@link #BUCKET}. */
    public static TestS3Server start(Path dir) throws Exception {
        return start(dir, AuthenticationType.AWS_V2_OR_V4);
    }

    /** A server whose bucket anyone may read: requests need no signature (S3Proxy's authentication off). */
    public static TestS3Server startPublic(Path dir) throws Exception {
        return start(dir, AuthenticationType.NONE);
    }

    private static TestS3Server start(Path dir, AuthenticationType authentication) throws Exception {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestS3Server server = new TestS3Server(dir, port, authentication);
        server.start();
        server.store.createContainer(BUCKET);
        return server;
    }

    /** Starts serving (again, after {@link #stop}): same port, same objects. */
    public void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create(endpoint()))
                .awsAuthentication(authentication, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    /** Stops serving: connections are refused until {@link #start}. */
    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Stores {@code file} as {@code key} of {@link #BUCKET}, replacing what was there. */
    public void put(String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            store.putBlob(PutObjectRequest.builder().bucket(BUCKET).key(key).contentLength(Files.size(file)).build(), in);
        }
    }

    /** Stores an archive (its index, {@code NAME}, and every {@code NAME-shard-NNNNN} beside it) under {@code prefix}. */
    public void putArchive(Path index, String prefix) throws IOException {
        String name = index.getFileName().toString();
        try (var siblings = Files.list(index.getParent())) {
            for (Path file : (Iterable<Path>) siblings::iterator) {
                String n = file.getFileName().toString();
                if (n.equals(name) || n.startsWith(name + "-shard-")) {
                    put(prefix + n, file);
                }
            }
        }
    }

    /** GETs served so far of keys that start with {@code prefix}. */
    public long gets(String prefix) {
        return gets.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().get()).sum();
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
