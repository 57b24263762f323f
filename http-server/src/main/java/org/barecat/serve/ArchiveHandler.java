package org.barecat.serve;

import org.barecat.core.ArchivePaths;
import org.barecat.core.ArchiveView;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.EntryScan;
import org.barecat.core.Glob;
import org.barecat.core.Listing;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.ajax.JSON;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Answers every request from the archive's index and shards (see {@link ArchiveServer}), and the web
 * page's three files from the classpath. A request that cannot be answered (a damaged row, an
 * unreadable shard) gets a 500 for itself alone.
 */
final class ArchiveHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(ArchiveHandler.class);
    static final String FILES = "/files/";
    /** The most a file's send reads and writes at once: the largest buffer the server's pool keeps. */
    static final int CHUNK = 256 * 1024;
    private static final int MAX_PAGE = 10_000;
    /** The page runs its own script and nothing else, even if a name got into its HTML. */
    private static final String PAGE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    /** Rows one find request looks at, at most: a rare match in a large tree comes over several requests. */
    static final int FIND_SCAN = 100_000;
    /** The web page: request path to resource (beside this class) and type; nothing else is served from the classpath. */
    private static final Map<String, String[]> PAGE = Map.of(
            "/", new String[] {"web/index.html", "text/html;charset=utf-8"},
            "/app.js", new String[] {"web/app.js", "text/javascript;charset=utf-8"},
            "/app.css", new String[] {"web/app.css", "text/css;charset=utf-8"});
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final ArchiveView archive;
    private final boolean verify;
    private final Thumbnails thumbnails;
    private final Map<String, byte[]> page = new LinkedHashMap<>();

    ArchiveHandler(ArchiveView archive, boolean verify, Thumbnails thumbnails) {
        this.archive = archive;
        this.verify = verify;
        this.thumbnails = thumbnails;
        for (Map.Entry<String, String[]> p : PAGE.entrySet()) {
            try (InputStream in = ArchiveHandler.class.getResourceAsStream(p.getValue()[0])) {
                if (in == null) {
                    throw new IllegalStateException(p.getValue()[0] + " is missing from the jar");
                }
                page.put(p.getKey(), in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(p.getValue()[0] + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        String path = request.getHttpURI().getDecodedPath();
        try {
            if (path.startsWith(FILES)) {
                file(request, response, callback, path.substring(FILES.length()), head);
            } else if (path.equals("/api/list")) {
                json(response, callback, list(Request.extractQueryParameters(request)), head);
            } else if (path.equals("/api/entry")) {
                json(response, callback, entry(Request.extractQueryParameters(request)), head);
            } else if (path.equals("/api/find")) {
                json(response, callback, find(Request.extractQueryParameters(request)), head);
            } else if (path.equals("/api/thumb")) {
                thumbnail(request, response, callback, Request.extractQueryParameters(request), head);
            } else if (page.containsKey(path)) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, PAGE.get(path)[1]);
                response.getHeaders().put("Content-Security-Policy", PAGE_POLICY);
                send(response, callback, page.get(path), head);
            } else {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (NotFound e) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404, e.getMessage());
        } catch (BadRequest e) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("{} {}: {}", method, path, e.getMessage());
            if (response.isCommitted()) {
                callback.failed(e); // the status and part of the body have gone: the connection is cut
            } else {
                Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, e.getMessage());
            }
        }
        return true;
    }

    private static final class NotFound extends Exception {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** The entry at {@code path} as a client wrote it (slashes around it allowed). */
    private Entry lookup(String path) throws IOException, NotFound {
        String normalized = ArchivePaths.normalize(path);
        Optional<Entry> entry = normalized == null ? Optional.empty() : archive.lookup(normalized);
        if (entry.isEmpty()) {
            throw new NotFound("no such entry");
        }
        return entry.get();
    }

    private void file(Request request, Response response, Callback callback, String path, boolean head)
            throws IOException, NotFound {
        if (!(lookup(path) instanceof FileEntry file)) {
            throw new NotFound("a directory");
        }
        archive.checkLocation(file);
        if (verify && file.crc32c() != null && archive.checksum(file) != file.crc32c()) {
            throw new IOException(file.path() + ": CRC-32C mismatch (the archive is damaged)");
        }
        String etag = etag(file);
        long modifiedSeconds = modifiedMs(file) / 1000;
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, contentType(file.name()));
        headers.put(HttpHeader.ETAG, etag);
        headers.put(HttpHeader.LAST_MODIFIED, HTTP_DATE.format(Instant.ofEpochSecond(modifiedSeconds)));
        headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
        // an HTML file of the archive opened in a browser must not run scripts as the page's origin
        headers.put("Content-Security-Policy", "sandbox");
        headers.put("X-Content-Type-Options", "nosniff");
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return;
        }
        ByteRange.Outcome range = ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), file.size());
        String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
        if (ifRange != null && !ifRangeHolds(ifRange, etag, modifiedSeconds)) {
            range = new ByteRange.Whole(); // the client's part is of another version: the whole one
        }
        long first = 0;
        long length = file.size();
        if (range instanceof ByteRange.Unsatisfiable) {
            headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + file.size());
            Response.writeError(request, response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416);
            return;
        } else if (range instanceof ByteRange.Part part) {
            first = part.range().first();
            length = part.range().length();
            response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
            headers.put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + part.range().last() + "/" + file.size());
        } else {
            response.setStatus(HttpStatus.OK_200);
        }
        headers.put(HttpHeader.CONTENT_LENGTH, length);
        if (head) {
            callback.succeeded();
            return;
        }
        new Sender(archive, file, first, first + length, response, callback,
                request.getComponents().getByteBufferPool()).iterate();
    }

    /**
     * Sends {@code [at, end)} of a file a chunk at a time without holding a thread while the client
     * reads: each chunk is read into one pooled direct buffer (no copy between the shard, the heap and
     * the socket) and written asynchronously; a file of one chunk goes out with the headers at once.
     */
    private static final class Sender extends IteratingCallback {
        private final ArchiveView archive;
        private final FileEntry file;
        private final Response response;
        private final Callback callback;
        private final RetainableByteBuffer buffer;
        private final long end;
        private long at;

        Sender(ArchiveView archive, FileEntry file, long at, long end, Response response, Callback callback,
               ByteBufferPool pool) {
            this.archive = archive;
            this.file = file;
            this.at = at;
            this.end = end;
            this.response = response;
            this.callback = callback;
            this.buffer = pool.acquire((int) Math.min(CHUNK, Math.max(1, end - at)), true);
        }

        @Override
        protected Action process() throws IOException {
            if (at >= end) {
                return Action.SUCCEEDED;
            }
            ByteBuffer b = buffer.getByteBuffer();
            b.clear().limit((int) Math.min(b.capacity(), end - at));
            int n = archive.read(file, at, b);
            if (n <= 0) {
                throw new IOException(file.path() + ": the shard ended at byte " + at);
            }
            b.flip();
            at += n;
            response.write(at >= end, b, this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            buffer.release();
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            buffer.release();
            if (!(cause instanceof EofException)) { // a client that went away is no fault of the archive's
                log.warn("{}: {}", file.path(), cause.getMessage());
            }
            callback.failed(cause);
        }
    }

    static String etag(FileEntry file) {
        return file.crc32c() != null
                ? String.format("\"%08x-%x\"", file.crc32c(), file.size())
                : String.format("\"%x-%x-%x\"", file.location().shard(), file.location().offset(), file.size());
    }

    private long modifiedMs(Entry entry) {
        Long ns = entry.attributes().mtimeNs();
        return (ns != null ? ns : archive.indexMtimeNs()) / 1_000_000;
    }

    private static String contentType(String name) {
        String type = MimeTypes.DEFAULTS.getMimeByExtension(name);
        if (type == null) {
            return "application/octet-stream";
        }
        return type.startsWith("text/") && !type.contains("charset") ? type + ";charset=utf-8" : type;
    }

    /** Whether an If-None-Match list names {@code etag} (or is {@code *}). */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** If-Range: an entity tag must match strongly, a date exactly (RFC 9110, 13.1.5). */
    private static boolean ifRangeHolds(String ifRange, String etag, long modifiedSeconds) {
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        try {
            return Instant.from(HTTP_DATE.parse(value)).getEpochSecond() == modifiedSeconds;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * {@code /api/list?path=DIR&after=NAME&offset=N&limit=M}: a page of a directory's entries, in the
     * index's order, starting after the child NAME (the last one of the previous page: found by a few
     * lookups, however deep) and then N entries further.
     */
    private Map<String, Object> list(Fields query) throws IOException, NotFound, BadRequest {
        String path = query.getValue("path") == null ? "" : query.getValue("path");
        long offset = number(query, "offset", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(query, "limit", 1, MAX_PAGE, 1000);
        String after = query.getValue("after");
        Entry dir = lookup(path);
        if (!(dir instanceof DirEntry d)) {
            throw new NotFound("not a directory");
        }
        List<Object> entries = new ArrayList<>();
        Listing<Entry> listing = archive.list(d.path());
        if (after != null && !listing.skipPast(after)) {
            throw new NotFound("after=" + after + ": no such entry in the directory");
        }
        Entry e;
        for (long skipped = 0; skipped < offset && listing.take() != null; skipped++) {
            // an offset walks the listing up to its start
        }
        while (entries.size() < limit && (e = listing.take()) != null) {
            entries.add(describe(e));
        }
        Map<String, Object> page = describe(d);
        page.put("offset", offset);
        page.put("entries", entries.toArray());
        page.put("more", listing.peek() != null);
        return page;
    }

    /** {@code /api/entry?path=PATH}: one entry, with a file's checksum and place in its shard. */
    private Map<String, Object> entry(Fields query) throws IOException, NotFound {
        String path = query.getValue("path") == null ? "" : query.getValue("path");
        Entry e = lookup(path);
        Map<String, Object> out = describe(e);
        if (e instanceof FileEntry f) {
            out.put("crc32c", f.crc32c() == null ? null : String.format("%08x", f.crc32c()));
            out.put("shard", f.location().shard());
            out.put("offset", f.location().offset());
        }
        return out;
    }

    /**
     * {@code /api/find?pattern=GLOB&path=DIR&after=PATH&limit=N}: entries below DIR that match, in
     * path order, as {@code barecat find} matches them: a pattern with a {@code /} against the whole
     * path ({@code -path}), else against the name ({@code -name}). {@code next} resumes the search.
     */
    private Map<String, Object> find(Fields query) throws IOException, NotFound, BadRequest {
        String pattern = query.getValue("pattern");
        if (pattern == null || pattern.isEmpty()) {
            throw new BadRequest("pattern= is needed");
        }
        String path = query.getValue("path") == null ? "" : query.getValue("path");
        int limit = (int) number(query, "limit", 1, MAX_PAGE, 200);
        if (!(lookup(path) instanceof DirEntry dir)) {
            throw new NotFound("not a directory");
        }
        Glob glob = Glob.compile(pattern);
        boolean wholePath = glob.hasSlash();
        if (wholePath) {
            glob = Glob.compileCrossingSlashes(pattern);
        }
        EntryScan scan = archive.scanBelow(dir.path(), query.getValue("after"));
        List<Object> entries = new ArrayList<>();
        String last = null;
        Entry e = null;
        for (int scanned = 0; entries.size() < limit && scanned < FIND_SCAN && (e = scan.next()) != null; scanned++) {
            last = e.path();
            if (ArchivePaths.isCanonical(e.path()) && glob.matches(wholePath ? e.path() : e.name())) {
                entries.add(describe(e));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pattern", pattern);
        out.put("path", dir.path());
        out.put("entries", entries.toArray());
        out.put("more", e != null); // stopped at the limit: maybe more, the next request says
        out.put("next", last);
        return out;
    }

    /**
     * {@code /api/thumb?path=PATH}: a small JPEG of an image, made off the request thread; the request
     * waits for it without holding a thread. 415 when the file is no image ImageIO decodes, 503 when
     * too many thumbnails are being made.
     */
    private void thumbnail(Request request, Response response, Callback callback, Fields query, boolean head)
            throws IOException, NotFound {
        String path = query.getValue("path") == null ? "" : query.getValue("path");
        if (!(lookup(path) instanceof FileEntry file)) {
            throw new NotFound("a directory");
        }
        if (!Thumbnails.isImage(file.name())) {
            Response.writeError(request, response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "not an image");
            return;
        }
        String etag = etag(file);
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.getHeaders().put(HttpHeader.ETAG, etag);
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return;
        }
        thumbnails.get(file).whenComplete((jpeg, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof RejectedExecutionException) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "busy making thumbnails");
            } else if (cause != null) {
                log.warn("thumbnail of {}: {}", file.path(), cause.getMessage());
                Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, cause.getMessage());
            } else if (jpeg.isEmpty()) {
                Response.writeError(request, response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "does not decode as an image");
            } else {
                var headers = response.getHeaders();
                headers.put(HttpHeader.CONTENT_TYPE, "image/jpeg");
                headers.put(HttpHeader.ETAG, etag);
                headers.put(HttpHeader.CONTENT_LENGTH, jpeg.get().length);
                response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(jpeg.get()), callback);
            }
        });
    }

    private Map<String, Object> describe(Entry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.name());
        out.put("path", e.path());
        out.put("modified", modifiedMs(e));
        if (e instanceof FileEntry f) {
            out.put("type", "file");
            out.put("size", f.size());
            if (Thumbnails.isImage(f.name())) {
                out.put("image", true); // the page asks /api/thumb for these only
            }
        } else if (e instanceof DirEntry d) {
            out.put("type", "directory");
            DirStats s = d.stats();
            if (s != null) {
                out.put("children", s.numFiles() + s.numSubdirs()); // not "entries": a listing page holds those
                out.put("files", s.numFilesTree());
                out.put("size", s.sizeTree());
            }
        }
        return out;
    }

    private static long number(Fields query, String name, long min, long max, long otherwise) throws BadRequest {
        String value = query.getValue(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest(name + "=" + value + ": a number from " + min + " to " + max + " is needed");
    }

    private static void json(Response response, Callback callback, Map<String, Object> body, boolean head) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        send(response, callback, new JSON().toJSON(body).getBytes(StandardCharsets.UTF_8), head);
    }

    private static void send(Response response, Callback callback, byte[] bytes, boolean head) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.getHeaders().put(new HttpField(HttpHeader.CACHE_CONTROL, "no-cache"));
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
    }
}
