package org.barecat.serve;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThumbnailsTest {
    @TempDir
    Path tmp;

    /** An archive of the PNG images img/0.png to img/{count-1}.png, image i {@code width.apply(i)} by {@code height}. */
    private Path pngs(int count, IntUnaryOperator width, int height) throws IOException {
        Path index = tmp.resolve("data.barecat");
        try (TreeBuilder w = TreeBuilder.archive(index)) {
            for (int i = 0; i < count; i++) {
                w.file("img/" + i + ".png", WebPageApiTest.image("png", width.applyAsInt(i), height));
            }
        }
        return index;
    }

    @Test
    void theCacheStaysWithinItsBytesAndDropsTheLeastRecentlyUsed() throws Exception {
        try (Archive archive = Archive.open(pngs(12, i -> 300 + i, 300))) {
            byte[] one;
            try (Thumbnails unbounded = new Thumbnails(archive, false, 1, 4, Long.MAX_VALUE)) {
                one = thumbnail(unbounded, archive, "img/0.png");
            }
            long bound = 4L * (one.length + 600); // room for about four
            try (Thumbnails thumbnails = new Thumbnails(archive, false, 2, 16, bound)) {
                thumbnail(thumbnails, archive, "img/0.png");
                for (int i = 1; i < 12; i++) {
                    thumbnail(thumbnails, archive, "img/" + i + ".png");
                    thumbnail(thumbnails, archive, "img/0.png"); // used again each time: stays
                    assertTrue(thumbnails.cachedBytes() <= bound, thumbnails.cachedBytes() + " > " + bound);
                }
                assertTrue(thumbnails.isCached("img/0.png"));
                assertTrue(thumbnails.isCached("img/11.png"));
                assertFalse(thumbnails.isCached("img/1.png"));
                assertTrue(thumbnails.cachedBytes() > 2L * one.length, "more than two are kept");
                FileEntry cached = (FileEntry) archive.lookup("img/11.png").orElseThrow();
                CompletableFuture<Optional<byte[]>> hit = thumbnails.get(cached);
                assertTrue(hit.isDone()); // no worker involved
                assertSame(hit.get().orElseThrow(), thumbnails.get(cached).get().orElseThrow());
            }
        }
    }

    @Test
    void withVerifyADamagedImageFailsAsItsFileWouldInsteadOfShowing() throws Exception {
        Path index = tmp.resolve("data.barecat");
        try (TreeBuilder w = TreeBuilder.archive(index)) {
            w.file("a.bmp", WebPageApiTest.image("bmp", 64, 64));
        }
        try (Archive archive = Archive.open(index);
             Thumbnails verifying = new Thumbnails(archive, true, 1, 4, 1 << 20)) {
            FileEntry file = (FileEntry) archive.lookup("a.bmp").orElseThrow();
            assertTrue(verifying.get(file).get().isPresent());
            try (FileChannel shard = FileChannel.open(index.resolveSibling("data.barecat-shard-00000"), StandardOpenOption.WRITE)) {
                shard.write(ByteBuffer.wrap(new byte[] {0x55, 0x66}), file.location().offset() + 500); // pixels of a BMP
            }
            try (Thumbnails others = new Thumbnails(archive, true, 1, 4, 1 << 20);
                 Thumbnails trusting = new Thumbnails(archive, false, 1, 4, 1 << 20)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> others.get(file).get());
                assertTrue(e.getCause().getMessage().contains("a.bmp: CRC-32C mismatch"), e.getCause().getMessage());
                assertFalse(others.isCached("a.bmp"));
                assertTrue(trusting.get(file).get().isPresent(), "without --verify the damaged pixels show");
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a guard against a hang: requests holding every server thread
    void requestsWaitingForThumbnailsHoldNoServerThreadAndOneTooManyIsAskedToComeBack() throws Exception {
        int waiting = 250; // more than the server's 200 threads
        Path index = pngs(waiting + 1, i -> 8 + i % 5, 8);
        ThreadPoolExecutor workers = Thumbnails.workers(1, waiting);
        CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> { // the one worker is busy until the test releases it
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Archive archive = Archive.open(index);
             ArchiveServer server = ArchiveServer.start(archive, new ArchiveServer.Settings("127.0.0.1", 0, false),
                     new Thumbnails(archive, false, workers, 1 << 20))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                pending.add(client.sendAsync(HttpRequest.newBuilder(server.uri().resolve("/api/thumb?path=img/" + i + ".png")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            while (workers.getQueue().size() < waiting) {
                Thread.sleep(10);
            }
            HttpResponse<byte[]> listing = client.send(HttpRequest.newBuilder(server.uri().resolve("/api/list?path=img&limit=1")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, listing.statusCode(), "answered while every thumbnail request waits");
            URI extra = server.uri().resolve("/api/thumb?path=img/" + waiting + ".png");
            HttpResponse<byte[]> refused = client.send(HttpRequest.newBuilder(extra).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(pending.stream().noneMatch(CompletableFuture::isDone));
            release.countDown();
            for (CompletableFuture<HttpResponse<byte[]>> p : pending) {
                assertEquals(200, p.get().statusCode());
                assertNotNull(ImageIO.read(new ByteArrayInputStream(p.get().body())));
            }
            assertEquals(200, client.send(HttpRequest.newBuilder(extra).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            release.countDown();
        }
    }

    private static byte[] thumbnail(Thumbnails thumbnails, Archive archive, String path) throws Exception {
        return thumbnails.get((FileEntry) archive.lookup(path).orElseThrow()).get().orElseThrow();
    }
}
