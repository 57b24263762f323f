package org.barecat.remote;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveInfo;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.IndexScan;
import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archives in a bucket of a real S3 server (S3Proxy on loopback), opened and read through the Archive API. */
class RemoteArchivesS3Test {
    @RegisterExtension
    static final ClassResource<TestS3Server> server = new ClassResource<>(dir -> {
        // the SDK's default chain reads these first: no files in the home directory are needed or read
        System.setProperty("aws.accessKeyId", TestS3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", TestS3Server.SECRET_KEY);
        System.setProperty("aws.region", "us-east-1");
        return TestS3Server.start(dir.resolve("bucket"));
    });
    @TempDir
    Path tmp;

    private RemoteOptions options() {
        return new RemoteOptions(server.get().endpoint(), null, null, false, false, tmp.resolve("cache"),
                RemoteOptions.DEFAULT_CACHE_SIZE, false);
    }

    /** Several shards, files from empty to a few blocks long (crossing block and shard boundaries). */
    static Path writeArchive(Path dir, String name, long seed) throws IOException {
        Files.createDirectories(dir);
        Path archive = dir.resolve(name);
        Random random = new Random(seed);
        try (TreeBuilder w = TreeBuilder.archive(archive, 3 << 20)) {
            for (int i = 0; i < 60; i++) {
                int size = i % 10 == 0 ? random.nextInt(BlockCache.BLOCK_SIZE * 5 / 2) : random.nextInt(40_000);
                byte[] data = new byte[size];
                random.nextBytes(data);
                w.file("dir" + (i % 4) + "/file" + i + ".bin", data);
            }
        }
        return archive;
    }

    /** Reads every file of {@code remote} and compares it with {@code local}; returns the files compared. */
    static int assertSameFiles(Archive local, Archive remote) throws IOException {
        IndexScan scan = IndexScan.filesBelow(local, "");
        int count = 0;
        for (Entry e = scan.next(); e != null; e = scan.next()) {
            FileEntry f = (FileEntry) e;
            FileEntry r = (FileEntry) remote.lookup(f.path()).orElseThrow();
            assertArrayEquals(readAll(local, f), readAll(remote, r), f.path());
            count++;
        }
        return count;
    }

    static byte[] readAll(Archive archive, FileEntry f) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) f.size());
        archive.read(f, 0, buf);
        return buf.array();
    }

    @Test
    void readsEveryFileAsTheLocalCopyAndTheSecondOpenReadsFromTheCache() throws Exception {
        Path index = writeArchive(tmp.resolve("src"), "data.barecat", 1);
        server.get().putArchive(index, "a/");
        String url = "s3://" + TestS3Server.BUCKET + "/a/data.barecat";
        try (Archive local = Archive.open(index); Archive remote = RemoteArchives.open(url, options())) {
            assertEquals(url, remote.name());
            assertEquals(60, assertSameFiles(local, remote));
        }
        long indexGets = server.get().gets("a/data.barecat");
        long shardGets = server.get().gets("a/data.barecat-shard-");
        assertTrue(shardGets > 0);
        try (Archive local = Archive.open(index); Archive remote = RemoteArchives.open(url, options())) {
            assertEquals(60, assertSameFiles(local, remote));
        }
        assertEquals(indexGets, server.get().gets("a/data.barecat"), "the index is fetched once");
        assertEquals(shardGets, server.get().gets("a/data.barecat-shard-"), "the second pass reads only from the cache");
    }

    @Test
    void anIndexOfSeveralPartsIsFetchedInRangedPartsAsItIs() throws Exception {
        Path index = tmp.resolve("big/data.barecat");
        Files.createDirectories(index.getParent());
        try (TreeBuilder w = TreeBuilder.archive(index, Long.MAX_VALUE)) {
            for (int i = 0; i < 60_000; i++) {
                w.file("directory-" + (i % 300) + "/a-file-name-long-enough-to-fill-the-index-" + i + ".txt",
                        Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            }
        }
        long size = Files.size(index);
        int parts = (int) ((size + IndexCache.PART_SIZE - 1) / IndexCache.PART_SIZE);
        assertTrue(parts > IndexCache.PARALLEL / 4, "an index of " + size + " bytes is " + parts + " parts");
        server.get().putArchive(index, "big/");
        AtomicLong told = new AtomicLong();
        long[] started = {-1};
        DownloadProgress progress = new DownloadProgress() {
            @Override
            public void started(String url, long bytes) {
                started[0] = bytes;
            }

            @Override
            public void advanced(long bytes) {
                told.addAndGet(bytes);
            }
        };
        try (Archive local = Archive.open(index);
             Archive remote = RemoteArchives.open("s3://" + TestS3Server.BUCKET + "/big/data.barecat", options(), progress)) {
            assertArrayEquals(Files.readAllBytes(index), Files.readAllBytes(remote.files().index()));
            assertEquals(60_000, assertSameFiles(local, remote));
        }
        assertEquals(parts, server.get().gets("big/data.barecat") - server.get().gets("big/data.barecat-shard-"),
                "one GET a part");
        assertEquals(size, started[0]);
        assertEquals(size, told.get());
    }

    @Test
    void aChangedIndexIsFetchedAgain() throws Exception {
        Path first = writeArchive(tmp.resolve("v1"), "data.barecat", 2);
        Path second = writeArchive(tmp.resolve("v2"), "data.barecat", 3);
        server.get().putArchive(first, "changed/");
        String url = "s3://" + TestS3Server.BUCKET + "/changed/data.barecat";
        try (Archive local = Archive.open(first); Archive remote = RemoteArchives.open(url, options())) {
            assertSameFiles(local, remote);
        }
        server.get().putArchive(second, "changed/");
        try (Archive local = Archive.open(second); Archive remote = RemoteArchives.open(url, options())) {
            assertSameFiles(local, remote);
        }
        try (var copies = Files.list(tmp.resolve("cache/index"))) {
            assertEquals(1, copies.count(), "the old copy of the index is gone");
        }
    }

    @Test
    void findsTheLegacyIndexName() throws Exception {
        Path index = writeArchive(tmp.resolve("legacy"), "old.barecat", 4);
        Files.move(index, index.resolveSibling("old.barecat-sqlite-index"));
        server.get().putArchive(index.resolveSibling("old.barecat-sqlite-index"), "legacy/");
        for (Path shard : Files.newDirectoryStream(index.getParent(), "old.barecat-shard-*")) {
            server.get().put("legacy/" + shard.getFileName(), shard);
        }
        try (Archive local = Archive.open(index);
             Archive remote = RemoteArchives.open("s3://" + TestS3Server.BUCKET + "/legacy/old.barecat", options())) {
            assertSameFiles(local, remote);
            assertEquals("s3://" + TestS3Server.BUCKET + "/legacy/old.barecat-sqlite-index", remote.name());
            assertTrue(ArchiveInfo.of(remote).legacyIndexName(), "info says the index has the legacy name");
        }
    }

    @Test
    void aMissingObjectIsOneLineNamingTheUrl() {
        String url = "s3://" + TestS3Server.BUCKET + "/nothing/here.barecat";
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> RemoteArchives.open(url, options()));
        assertEquals(url + ": no such archive (neither the object nor here.barecat-sqlite-index exists)", e.getMessage());
    }

    @Test
    void aMissingShardIsOneLineNamingIt() throws Exception {
        Path index = writeArchive(tmp.resolve("noshard"), "data.barecat", 5);
        server.get().put("noshard/data.barecat", index);
        IOException e = assertThrows(IOException.class,
                () -> RemoteArchives.open("s3://" + TestS3Server.BUCKET + "/noshard/data.barecat", options()));
        assertTrue(e.getMessage().startsWith("s3://data/noshard/data.barecat-shard-00000: missing shard"), e.getMessage());
    }

    @Test
    void wrongCredentialsAreRefusedInOneLine() throws Exception {
        Path credentials = tmp.resolve("credentials");
        Files.writeString(credentials, "[wrong]\naws_access_key_id = barecat-test\naws_secret_access_key = not-the-secret\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            RemoteOptions wrong = new RemoteOptions(server.get().endpoint(), null, "wrong", false, false,
                    tmp.resolve("cache"), RemoteOptions.DEFAULT_CACHE_SIZE, false);
            String url = "s3://" + TestS3Server.BUCKET + "/any.barecat";
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> RemoteArchives.open(url, wrong));
            assertTrue(e.getMessage().startsWith(url + ": access denied (403"), e.getMessage());
        } finally {
            System.clearProperty("aws.sharedCredentialsFile");
        }
    }

    @Test
    void anonymousRequestsReadAPublicBucketAndAreRefusedByAPrivateOne() throws Exception {
        Path index = writeArchive(tmp.resolve("src"), "data.barecat", 7);
        String url = "s3://" + TestS3Server.BUCKET + "/public/data.barecat";
        server.get().putArchive(index, "public/");
        RemoteOptions privately = new RemoteOptions(server.get().endpoint(), null, null, false, true,
                tmp.resolve("cache"), RemoteOptions.DEFAULT_CACHE_SIZE, false);
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> RemoteArchives.open(url, privately));
        assertTrue(e.getMessage().startsWith(url + ": access denied (403"), "unsigned: " + e.getMessage());
        try (TestS3Server open = TestS3Server.startPublic(tmp.resolve("public-bucket"))) {
            open.putArchive(index, "public/");
            RemoteOptions anonymous = new RemoteOptions(open.endpoint(), null, null, false, true, tmp.resolve("cache"),
                    RemoteOptions.DEFAULT_CACHE_SIZE, false);
            try (Archive local = Archive.open(index); Archive remote = RemoteArchives.open(url, anonymous)) {
                assertEquals(60, assertSameFiles(local, remote));
            }
        }
    }

    @Test
    void anEndpointNobodyServesIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RemoteOptions nowhere = new RemoteOptions("http://127.0.0.1:" + port, null, null, false, false,
                tmp.resolve("cache"), RemoteOptions.DEFAULT_CACHE_SIZE, false);
        String url = "s3://" + TestS3Server.BUCKET + "/any.barecat";
        IOException e = assertThrows(IOException.class, () -> RemoteArchives.open(url, nowhere));
        assertTrue(e.getMessage().startsWith(url + ": cannot connect to http://127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void readsFailWhileTheServerIsDownAndWorkWhenItIsBack() throws Exception {
        Path index = writeArchive(tmp.resolve("outage"), "data.barecat", 6);
        server.get().putArchive(index, "outage/");
        try (Archive local = Archive.open(index);
             Archive remote = RemoteArchives.open("s3://" + TestS3Server.BUCKET + "/outage/data.barecat", options())) {
            FileEntry big = (FileEntry) remote.lookup("dir0/file0.bin").orElseThrow();
            server.get().stop();
            try {
                assertThrows(IOException.class, () -> readAll(remote, big));
            } finally {
                server.get().start();
            }
            assertArrayEquals(readAll(local, (FileEntry) local.lookup("dir0/file0.bin").orElseThrow()), readAll(remote, big));
            assertSameFiles(local, remote);
        }
    }
}
