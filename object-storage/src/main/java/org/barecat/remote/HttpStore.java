package org.barecat.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A web server ({@code http://}, {@code https://}) through the JDK's HTTP client: HEAD for an object's
 * size and version, ranged GETs for its bytes. A request that fails to reach the server, or gets a 5xx,
 * is tried again after a short backoff, {@link #ATTEMPTS} times in all.
 */
final class HttpStore implements ObjectStore {
    static final int ATTEMPTS = 3;
    private static final long FIRST_BACKOFF_MS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** {@code scheme://host[:port]}: keys are paths below it. */
    private final String origin;
    private final HttpClient client;

    HttpStore(String origin) {
        this.origin = origin;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String url(String key) {
        return origin + "/" + key;
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        HttpResponse<Void> r = send(key, HttpRequest.newBuilder(URI.create(url(key)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        check(key, r, 200);
        long size = r.headers().firstValueAsLong("Content-Length").orElseThrow(
                () -> new IOException(url(key) + ": the server gives no Content-Length"));
        String lastModified = r.headers().firstValue("Last-Modified").orElse("");
        String version = r.headers().firstValue("ETag").orElse(lastModified);
        return new ObjectInfo(size, version, parseDate(lastModified));
    }

    private static Instant parseDate(String httpDate) {
        try {
            return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    @Override
    public InputStream open(String key, ObjectInfo object, long start, long length) throws IOException {
        HttpRequest.Builder request = get(key, object).header("Range", "bytes=" + start + "-" + (start + length - 1));
        HttpResponse<InputStream> r = send(key, request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            if (r.statusCode() == 200) {
                throw new IOException(url(key) + ": the server does not answer range requests (200 instead of 206)");
            }
            check(key, r, 206);
            return r.body();
        } catch (IOException | RuntimeException e) {
            r.body().close();
            throw e;
        }
    }

    /** A GET of version {@code object} of {@code key}: another version answers 412, never its bytes. */
    private HttpRequest.Builder get(String key, ObjectInfo object) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(key))).GET();
        if (object.version().startsWith("\"") || object.version().startsWith("W/")) {
            b.header("If-Match", object.version());
        } else if (!object.version().isEmpty()) {
            b.header("If-Unmodified-Since", object.version());
        }
        return b;
    }

    private void check(String key, HttpResponse<?> r, int expected) throws IOException {
        int status = r.statusCode();
        if (status == expected) {
            return;
        }
        String url = url(key);
        throw switch (status) {
            case 404, 410 -> new NoSuchFileException(url, null, "no such object (" + status + ")");
            case 401, 403 -> new AccessDeniedException(url, null, "access denied (" + status + ")");
            case 412 -> new IOException(url + ": changed on the server since the archive was opened");
            default -> new IOException(url + ": the server answered " + status);
        };
    }

    /** Sends {@code request}, again after a backoff when the server cannot be reached or answers 5xx. */
    private <T> HttpResponse<T> send(String key, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        HttpRequest built = request.timeout(TIMEOUT).build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> r = client.send(built, body);
                if (r.statusCode() < 500 || attempt == ATTEMPTS) {
                    return r;
                }
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw new IOException(url(key) + ": " + reason(e), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException(url(key) + ": interrupted");
            }
            try {
                Thread.sleep(FIRST_BACKOFF_MS << (2 * (attempt - 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException(url(key) + ": interrupted");
            }
        }
    }

    private String reason(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot connect to " + origin + " (timed out)";
        }
        if (e instanceof HttpTimeoutException) {
            return origin + " timed out";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "cannot connect to " + origin + " (connection refused)";
            }
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host in " + origin;
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public void close() {
        // HttpClient has no close before Java 21; its threads end when it is collected
    }
}
