package org.barecat.serve;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThumbnailsTest {
    @TempDir
    Path tmp;

    @Test
    void theCacheStaysWithinItsBytesAndDropsTheLeastRecentlyUsed() throws Exception {
        Path index = tmp.resolve("data.barecat");
        try (TreeBuilder w = TreeBuilder.archive(index)) {
            for (int i = 0; i < 12; i++) {
                w.file("img/" + i + ".png", WebPageApiTest.image("png", 300 + i, 300));
            }
        }
        try (Archive archive = Archive.open(index)) {
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

    private static byte[] thumbnail(Thumbnails thumbnails, Archive archive, String path) throws Exception {
        return thumbnails.get((FileEntry) archive.lookup(path).orElseThrow()).get().orElseThrow();
    }
}
