package org.barecat.remote;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.barecat.remote.RemoteArchivesS3Test.assertSameFiles;
import static org.barecat.remote.RemoteArchivesS3Test.writeArchive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archives on a real web server (nginx on loopback), read by ranged GETs. */
class RemoteArchivesHttpTest {
    @RegisterExtension
    static final ClassResource<TestWebServer> server = new ClassResource<>(
            dir -> TestWebServer.start(Files.createDirectories(dir.resolve("www")), dir.resolve("nginx")));
    @TempDir
    Path tmp;

    private RemoteOptions options() {
        return new RemoteOptions(null, null, null, false, false, tmp.resolve("cache"), RemoteOptions.DEFAULT_CACHE_SIZE, false);
    }

    @Test
    void readsEveryFileAsTheLocalCopyAndTheSecondOpenReadsFromTheCache() throws Exception {
        Path index = writeArchive(server.get().root().resolve("a"), "data.barecat", 7);
        Path local = writeArchive(tmp.resolve("same"), "data.barecat", 7);
        String url = server.get().origin() + "/a/data.barecat";
        try (Archive expected = Archive.open(local); Archive remote = RemoteArchives.open(url, options())) {
            assertEquals(60, assertSameFiles(expected, remote));
        }
        long shardGets = server.get().gets("/a/data.barecat-shard-");
        long indexGets = server.get().gets("/a/data.barecat ");
        assertTrue(shardGets > 0);
        assertEquals(1, indexGets);
        try (Archive expected = Archive.open(index); Archive remote = RemoteArchives.open(url, options())) {
            assertEquals(60, assertSameFiles(expected, remote));
        }
        assertEquals(shardGets, server.get().gets("/a/data.barecat-shard-"));
        assertEquals(indexGets, server.get().gets("/a/data.barecat "));
    }

    @Test
    void readingForwardFetchesTheBlocksAheadSeveralInOneRequest() throws Exception {
        Path dir = Files.createDirectories(server.get().root().resolve("ahead"));
        Random random = new Random(5);
        List<byte[]> contents = new ArrayList<>();
        try (TreeBuilder w = TreeBuilder.archive(dir.resolve("seq.barecat"), 1L << 30)) {
            for (int i = 0; i < 200; i++) {
                byte[] data = new byte[100_000 + random.nextInt(40_000)];
                random.nextBytes(data);
                contents.add(data);
                w.file(String.format("f%03d", i), data);
            }
        }
        long blocks = (Files.size(dir.resolve("seq.barecat-shard-00000")) + BlockCache.BLOCK_SIZE - 1) / BlockCache.BLOCK_SIZE;
        try (Archive remote = RemoteArchives.open(server.get().origin() + "/ahead/seq.barecat", options())) {
            for (int i = 0; i < contents.size(); i++) {
                FileEntry f = (FileEntry) remote.lookup(String.format("f%03d", i)).orElseThrow();
                assertArrayEquals(contents.get(i), RemoteArchivesS3Test.readAll(remote, f), f.path());
            }
        }
        long gets = server.get().gets("/ahead/seq.barecat-shard-");
        // three blocks read one by one, then a request for every half window of blocks ahead
        assertTrue(gets <= 3 + 2 * blocks / RemoteShard.READ_AHEAD_BLOCKS + 1, gets + " GETs for " + blocks + " blocks");
    }

    @Test
    void aMissingObjectIsOneLineNamingTheUrl() {
        String url = server.get().origin() + "/nothing/here.barecat";
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> RemoteArchives.open(url, options()));
        assertEquals(url + ": no such archive (neither the object nor here.barecat-sqlite-index exists)", e.getMessage());
    }

    @Test
    void aServerNobodyRunsIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/data.barecat";
        IOException e = assertThrows(IOException.class, () -> RemoteArchives.open(url, options()));
        assertEquals(url + ": cannot connect to http://127.0.0.1:" + port + " (connection refused)", e.getMessage());
    }
}
