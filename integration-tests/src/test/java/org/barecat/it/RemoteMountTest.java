package org.barecat.it;

import org.barecat.testing.MountExtension;
import org.barecat.remote.TestS3Server;
import org.barecat.remote.TestWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives in a bucket (S3Proxy in this JVM, authentication on) and on a web server (nginx), mounted by
 * bin/barecat-mount with the real FUSE daemon and read by real programs.
 */
class RemoteMountTest {
    private static final String PREFIX = "tree/";
    private static RemoteTree tree;
    private static TestS3Server s3;
    @TempDir
    static Path shared;
    private static Path source;
    private static Path archive;
    private static String expected;
    @TempDir
    Path tmp;

    @BeforeAll
    static void packAndServe() throws Exception {
        tree = RemoteTree.start(shared, PREFIX);
        source = tree.source();
        archive = tree.archive();
        s3 = tree.s3();
        expected = Trees.snapshot(source);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (tree != null) {
            tree.close();
        }
    }

    private static Map<String, String> awsEnv(String secret) {
        return tree.awsEnv(secret);
    }

    private static String url() {
        return tree.url();
    }

    @Test
    void aBucketMountsAsTheSourceTreeAndTheSecondMountReadsFromTheCache() throws IOException {
        String cache = "cache_dir=" + tmp.resolve("cache");
        try (Mount mount = Mount.of(url(), awsEnv(TestS3Server.SECRET_KEY), "-o", cache)) {
            assertEquals(expected, Trees.snapshot(mount.point), "find/stat/sha256sum through the mount");
            Path copy = tmp.resolve("copy");
            Programs.run("cp", "-r", mount.point + "/.", copy.toString()).ok();
            Programs.run("diff", "-r", source.toString(), copy.toString()).ok();
            assertTrue(Programs.run("grep", "-F", " " + mount.point + " ", "/proc/self/mounts").ok().out()
                    .startsWith(url() + " "), "the mount is named after the URL");
        }
        long shardGets = s3.gets(PREFIX + "tree.barecat-shard-");
        long indexGets = s3.gets(PREFIX + "tree.barecat");
        assertTrue(shardGets > 0);
        try (Mount mount = Mount.of(url(), awsEnv(TestS3Server.SECRET_KEY), "-o", cache)) {
            assertEquals(expected, Trees.snapshot(mount.point));
        }
        assertEquals(shardGets, s3.gets(PREFIX + "tree.barecat-shard-"), "the second mount reads blocks from the cache");
        assertEquals(indexGets, s3.gets(PREFIX + "tree.barecat"), "and the index too");
    }

    @Test
    void aPublicBucketMountsWithAnonymousAndNoCredentials() throws Exception {
        try (TestS3Server open = TestS3Server.startPublic(tmp.resolve("public-bucket"))) {
            open.putArchive(archive, PREFIX);
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL", open.endpoint(), "AWS_EC2_METADATA_DISABLED", "true",
                    "HOME", tmp.toString()); // no keys, no ~/.aws
            try (Mount mount = Mount.of(url(), env, "-o", "anonymous,cache_dir=" + tmp.resolve("cache"))) {
                assertEquals(expected, Trees.snapshot(mount.point));
            }
        }
    }

    @Test
    void withVerifyAFileWhoseBytesRottedInTheBucketFailsWithEioAndTheOthersRead() throws Exception {
        String damaged = tree.putWithDamagedFile("rotten/", "big.bin", tmp.resolve("shard"));
        try (Mount mount = Mount.of(damaged, awsEnv(TestS3Server.SECRET_KEY), "-o",
                "verify,cache_dir=" + tmp.resolve("cache"))) {
            Programs.Result failed = Programs.run("cat", mount.path("big.bin").toString());
            assertNotEquals(0, failed.exit());
            assertTrue(failed.stderr().contains("Input/output error"), failed.stderr());
            int read = 0;
            try (var files = Files.walk(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f) && !f.getFileName().toString().equals("big.bin")) {
                        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(mount.point.resolve(
                                source.relativize(f).toString())), f.toString());
                        read++;
                    }
                }
            }
            assertTrue(read > 60, "the other files read: " + read);
        }
    }

    @Test
    void readsFailWithEioWhileTheServerIsDownAndWorkWhenItIsBack() throws Exception {
        try (Mount mount = Mount.of(url(), awsEnv(TestS3Server.SECRET_KEY), "-o", "cache_dir=" + tmp.resolve("cache"))) {
            Path file = mount.path("big.bin");
            s3.stop();
            Programs.Result failed;
            try {
                failed = Programs.run("cat", file.toString());
            } finally {
                s3.start();
            }
            assertNotEquals(0, failed.exit());
            assertTrue(failed.stderr().contains("Input/output error"), failed.stderr());
            assertArrayEquals(Files.readAllBytes(source.resolve("big.bin")), Files.readAllBytes(file));
            assertEquals(expected, Trees.snapshot(mount.point), "the mount serves everything again");
        }
    }

    @Test
    void withPrefetchOneReadBringsItsWholeShardSoTheFileReadsWithTheServerStopped() throws Exception {
        Path cache = tmp.resolve("cache");
        try (Mount mount = Mount.of(url(), awsEnv(TestS3Server.SECRET_KEY), "-o", "prefetch,cache_dir=" + cache)) {
            Programs.run("head", "-c", "1", mount.path("big.bin").toString()).ok();
            assertBigBinsShardAloneIsCachedAndReadsWithTheServerStopped(mount, cache);
        }
    }

    @Test
    void aPrefetchStoppedByTheServerStartsAgainOnceTheServerAnswers() throws Exception {
        Path cache = tmp.resolve("cache-restarted");
        try (Mount mount = Mount.of(url(), awsEnv(TestS3Server.SECRET_KEY), "-o", "prefetch,cache_dir=" + cache)) {
            s3.stop();
            try {
                assertNotEquals(0, Programs.run("head", "-c", "1", mount.path("big.bin").toString()).exit());
                Thread.sleep(2000); // the prefetch this read started fails too, with its retries
            } finally {
                s3.start();
            }
            String big = mount.path("big.bin").toString();
            Programs.run("head", "-c", "1", big).ok(); // fetches big.bin's first block: the server answers again
            // the next read, in the same block (2 MiB by default) but past the kernel's readahead, takes the prefetch up
            long offset = Long.parseLong(Sql.query(archive, "SELECT offset FROM files WHERE path = 'big.bin'").trim());
            long sameBlock = (2 << 20) - 1 - offset % (2 << 20);
            assertTrue(sameBlock >= 1 << 20, "big.bin starts near the start of a block: " + offset);
            Programs.run("dd", "if=" + big, "bs=1", "skip=" + sameBlock, "count=1", "status=none").ok();
            assertBigBinsShardAloneIsCachedAndReadsWithTheServerStopped(mount, cache);
        }
    }

    @Test
    void aRemoteMountHasAClassDataArchiveOfItsOwnWithTheObjectStorageClients() throws Exception {
        Path home = Files.createTempDirectory(tmp, "xdg-");
        Map<String, String> env = new HashMap<>(awsEnv(TestS3Server.SECRET_KEY));
        env.put("XDG_CACHE_HOME", home.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        try (Mount mount = Mount.of(url(), env, "-o", "cache_dir=" + tmp.resolve("cache"))) {
            assertArrayEquals(Files.readAllBytes(source.resolve("big.bin")), Files.readAllBytes(mount.path("big.bin")));
        }
        Path dir = home.resolve("barecat");
        String made = ClassDataArchives.await(dir, Set.of());
        assertTrue(made.matches("mount-remote-[0-9]+-[0-9]+\\.jsa"), made);
        for (String c : List.of("org.barecat.fuse.ArchiveFilesystem", "org.barecat.remote.RemoteShard",
                "software.amazon.awssdk.services.s3.DefaultS3Client", "org.barecat.remote.HttpStore")) {
            assertTrue(ClassDataArchives.holds(dir.resolve(made), c), c);
        }
        try (Mount mount = Mount.of(url(), env, "-o", "cache_dir=" + tmp.resolve("cache"))) {
            assertTrue(ClassDataArchives.mapped(mount.daemon().orElseThrow().pid(), made), "the daemon maps " + made);
            assertEquals(expected, Trees.snapshot(mount.point));
        }
    }

    /** Waits for big.bin's whole shard, and no other, to be in {@code cache}; then reads big.bin with the server stopped. */
    private void assertBigBinsShardAloneIsCachedAndReadsWithTheServerStopped(Mount mount, Path cache) throws Exception {
        int shard = Integer.parseInt(Sql.query(archive, "SELECT shard FROM files WHERE path = 'big.bin'").trim());
        long shardBytes = Files.size(archive.resolveSibling(archive.getFileName() + "-shard-" + String.format("%05d", shard)));
        for (int i = 0; i < 600 && cachedBytes(cache) < shardBytes; i++) { // the prefetch runs in the background
            Thread.sleep(100);
        }
        assertEquals(shardBytes, cachedBytes(cache), "the shard read from, whole, and no other");
        s3.stop();
        try {
            assertArrayEquals(Files.readAllBytes(source.resolve("big.bin")), Files.readAllBytes(mount.path("big.bin")));
        } finally {
            s3.start();
        }
    }

    /** Bytes of the blocks stored in the cache at {@code cache} (those being written not counted). */
    private static long cachedBytes(Path cache) throws IOException {
        try (var files = Files.walk(cache.resolve("blocks"))) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().contains(".tmp-"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void aMissingObjectIsOneLineAndNoMount() throws IOException {
        String line = refused(awsEnv(TestS3Server.SECRET_KEY), "s3://" + TestS3Server.BUCKET + "/nothing.barecat");
        assertEquals("barecat-mount: s3://data/nothing.barecat: no such archive (neither the object nor"
                + " nothing.barecat-sqlite-index exists)", line);
    }

    @Test
    void wrongCredentialsAreOneLineAndNoMount() throws IOException {
        String line = refused(awsEnv("not-the-secret"), url());
        assertTrue(line.startsWith("barecat-mount: " + url() + ": access denied (403"), line);
    }

    @Test
    void missingCredentialsAreOneLineAndNoMount() throws IOException {
        Map<String, String> env = awsEnv("");
        env.remove("AWS_ACCESS_KEY_ID");
        env.remove("AWS_SECRET_ACCESS_KEY");
        env.put("HOME", tmp.toString()); // no ~/.aws
        String line = refused(env, url());
        assertTrue(line.startsWith("barecat-mount: " + url() + ": no AWS credentials found"), line);
    }

    @Test
    void aWrongEndpointIsOneLineAndNoMount() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String line = refused(awsEnv(TestS3Server.SECRET_KEY), url(), "-o", "endpoint=http://127.0.0.1:" + port);
        assertTrue(line.startsWith("barecat-mount: " + url() + ": cannot connect to http://127.0.0.1:" + port), line);
    }

    @Test
    void remoteOptionsOnALocalArchiveAreRefused() throws IOException {
        Programs.Result r = Launchers.mountCommand(Map.of(), archive.toString(), tmp.toString(), "-o", "region=x");
        assertEquals(2, r.exit(), r.stderr());
        assertEquals("barecat-mount: option 'region': only for an archive given by URL (s3://, https://, http://)\n",
                r.stderr());
    }

    @Test
    void aWebServerMountsAsTheSourceTree() throws Exception {
        if (!TestWebServer.available()) {
            throw new org.opentest4j.TestAbortedException("nginx is not installed (scripts/install-deps.sh installs it)");
        }
        Path www = tmp.resolve("www");
        tree.copyArchiveTo(www);
        try (TestWebServer web = TestWebServer.start(www, tmp.resolve("nginx"));
             Mount mount = Mount.of(web.origin() + "/tree.barecat", Map.of(), "-o", "cache_dir=" + tmp.resolve("cache"))) {
            assertEquals(expected, Trees.snapshot(mount.point));
            assertTrue(web.gets("/tree.barecat-shard-") > 0);
        }
    }

    /** barecat-mount refuses: exit 1, one line on stderr, nothing mounted. */
    private String refused(Map<String, String> env, String archiveUrl, String... options) throws IOException {
        Path point = Files.createDirectory(tmp.resolve("mnt"));
        List<String> args = new java.util.ArrayList<>(List.of(archiveUrl, point.toString()));
        args.addAll(List.of(options));
        Programs.Result r = Launchers.mountCommand(env, args.toArray(String[]::new));
        assertEquals(1, r.exit(), r.stderr());
        List<String> lines = r.stderr().lines().collect(Collectors.toList());
        assertEquals(1, lines.size(), "exactly one line: " + r.stderr());
        assertFalse(MountExtension.isMounted(point));
        return lines.get(0);
    }
}
