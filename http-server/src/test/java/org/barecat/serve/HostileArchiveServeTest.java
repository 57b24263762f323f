package org.barecat.serve;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.barecat.testing.RawIndexes;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.util.List;
import java.util.Random;

import static org.barecat.testing.Bytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mount's hostile-archive matrix, served: a row no honest writer makes fails its own request
 * (500 for a location that cannot be read, 404 for a name that could escape) and the server goes on
 * answering the good file beside it; with {@code --verify}, damaged bytes are a 500, never sent.
 */
class HostileArchiveServeTest {
    private static final byte[] SHARD = bytes("0123456789abcdef");

    @TempDir
    Path tmp;

    @Test
    void eachBadRowFailsOnlyItsOwnRequestAndNothingOutsideTheIndexIsNamed() throws Exception {
        Path index = tmp.resolve("h.barecat");
        Files.write(tmp.resolve("h.barecat-shard-00000"), SHARD);
        try (Connection c = RawIndexes.looseIndex(index, true)) {
            RawIndexes.insertRawFile(c, "good", 0L, 2L, 5L);
            RawIndexes.insertRawFile(c, "past-end", 0L, 10L, 20L);
            RawIndexes.insertRawFile(c, "neg-offset", 0L, -1L, 3L);
            RawIndexes.insertRawFile(c, "overflow", 0L, Long.MAX_VALUE, 2L);
            RawIndexes.insertRawFile(c, "text-size", 0L, 0L, "five");
            RawIndexes.insertRawFile(c, "neg-shard", -1L, 0L, 3L);
            RawIndexes.insertRawFile(c, "d/../escape", 0L, 0L, 2L);
            RawIndexes.insertRawFile(c, "/abs", 0L, 0L, 2L);
            RawIndexes.insertRawFile(c, "nul\0name", 0L, 0L, 2L);
        }
        try (ServedArchive server = ServedArchive.of(index, false)) {
            for (String bad : List.of("past-end", "neg-offset", "overflow", "text-size", "neg-shard")) {
                HttpResponse<byte[]> r = server.get("/files/" + bad);
                assertEquals(500, r.statusCode(), bad);
                assertFalse(new String(r.body(), StandardCharsets.ISO_8859_1).contains("0123456789"), bad);
                HttpResponse<byte[]> good = server.get("/files/good");
                assertEquals(200, good.statusCode(), "after " + bad);
                assertArrayEquals(bytes("23456"), good.body(), "after " + bad);
            }
            assertEquals(404, server.get("/files/escape").statusCode());
            assertEquals(404, server.get("/api/entry?path=escape").statusCode());
            assertEquals(404, server.get("/api/entry?path=abs").statusCode());
            String root = new String(server.get("/api/list?path=").body(), StandardCharsets.UTF_8);
            assertTrue(root.contains("\"good\""), root);
            for (String hidden : List.of("\"..\"", "escape", "abs", "nul")) {
                assertFalse(root.contains(hidden), hidden + " in " + root);
            }
            String d = new String(server.get("/api/list?path=d").body(), StandardCharsets.UTF_8);
            assertFalse(d.contains(".."), d);
            assertEquals(200, server.get("/files/good").statusCode());
        }
    }

    @Test
    void withVerifyADamagedFileIsA500AndWithoutItItsStoredBytes() throws Exception {
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        Path index = TreeBuilder.archive(tmp.resolve("v.barecat"))
                .file("ok.bin", bytes("fine"))
                .file("img.bin", data)
                .build();
        try (Archive archive = Archive.open(index)) {
            FileEntry f = (FileEntry) archive.lookup("img.bin").orElseThrow();
            try (FileChannel shard = FileChannel.open(tmp.resolve("v.barecat-shard-00000"), StandardOpenOption.WRITE)) {
                shard.write(ByteBuffer.wrap(new byte[] {(byte) ~data[50_000]}), f.location().offset() + 50_000);
            }
            try (ServedArchive verifying = ServedArchive.of(index, true);
                 ServedArchive trusting = ServedArchive.of(index, false)) {
                HttpResponse<byte[]> refused = verifying.get("/files/img.bin");
                assertEquals(500, refused.statusCode());
                assertTrue(refused.body().length < 10_000, "no file bytes in the error");
                assertArrayEquals(bytes("fine"), verifying.get("/files/ok.bin").body());
                HttpResponse<byte[]> stored = trusting.get("/files/img.bin");
                assertEquals(200, stored.statusCode());
                assertEquals(data.length, stored.body().length);
                assertEquals((byte) ~data[50_000], stored.body()[50_000]);
            }
        }
    }
}
