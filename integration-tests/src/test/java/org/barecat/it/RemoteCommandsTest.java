package org.barecat.it;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The barecat commands that read, given an archive in a bucket (S3Proxy in this JVM, authentication on)
 * or on a web server (nginx): each prints what it prints for the local copy; the commands that write
 * refuse a URL with one line.
 */
class RemoteCommandsTest {
    private static RemoteTree tree;
    @TempDir
    static Path shared;
    private static Path source;
    private static Path archive;
    @TempDir
    Path tmp;

    @BeforeAll
    static void packAndServe() throws Exception {
        tree = RemoteTree.start(shared, "cmd/");
        source = tree.source();
        archive = tree.archive();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (tree != null) {
            tree.close();
        }
    }

    private static String url() {
        return tree.url();
    }

    private Programs.Result barecat(Map<String, String> env, List<String> args) {
        return Launchers.run("barecat", env, args.toArray(String[]::new));
    }

    /** The command on the local archive and on {@code remote}: same exit code, same bytes out (names aside). */
    private void sameAsLocal(String remote, Map<String, String> env, String... command) {
        sameAsLocalWith(remote, env, "", command);
    }

    /** The same, with {@code options} added to the remote command's -o. */
    private void sameAsLocalWith(String remote, Map<String, String> env, String options, String... command) {
        List<String> local = new ArrayList<>(List.of(command));
        local.add(1, archive.toString());
        List<String> overServer = new ArrayList<>(List.of(command));
        overServer.add(1, remote);
        overServer.addAll(List.of("-o", "cache_dir=" + tmp.resolve("cache") + options));
        Programs.Result expected = barecat(Map.of(), local);
        Programs.Result actual = barecat(env, overServer);
        String what = String.join(" ", overServer);
        assertEquals(0, expected.exit(), String.join(" ", local) + ": " + expected.stderr());
        assertTrue(expected.stdout().length > 0, what);
        assertEquals(expected.exit(), actual.exit(), what + ": " + actual.stderr());
        assertEquals("", actual.stderr(), what);
        assertEquals(expected.out().replace(archive.toString(), remote), actual.out(), what);
    }

    @Test
    void readingCommandsOverS3PrintWhatTheyPrintForTheLocalCopy() {
        Map<String, String> env = tree.awsEnv(TestS3Server.SECRET_KEY);
        sameAsLocal(url(), env, "ls", "-lR");
        sameAsLocal(url(), env, "find", "-type", "f", "-size", "+1k");
        sameAsLocal(url(), env, "du", "-a", "-b");
        sameAsLocal(url(), env, "tree");
        sameAsLocal(url(), env, "info");
        sameAsLocal(url(), env, "index-to-csv");
        sameAsLocal(url(), env, "cat", "big.bin", "nested/a/b/c/d/e/f/g/deep.bin", Trees.LONG_NAME);
        sameAsLocal(url(), env, "verify", "-q");
        sameAsLocal(url(), env, "convert", "-q", "-", "--root-dir", "tree");
    }

    @Test
    void extractOverS3MakesTheSourceTree() {
        Path out = tmp.resolve("extracted");
        barecat(tree.awsEnv(TestS3Server.SECRET_KEY), List.of("extract", "-q", "-C", out.toString(),
                url(), "-o", "cache_dir=" + tmp.resolve("cache"))).ok();
        assertEquals(Trees.snapshot(source), Trees.snapshot(out));
    }

    @Test
    void readingCommandsOverHttpPrintWhatTheyPrintForTheLocalCopy() throws Exception {
        if (!TestWebServer.available()) {
            throw new org.opentest4j.TestAbortedException("nginx is not installed (scripts/install-deps.sh installs it)");
        }
        Path www = tmp.resolve("www");
        tree.copyArchiveTo(www);
        try (TestWebServer web = TestWebServer.start(www, tmp.resolve("nginx"))) {
            String remote = web.origin() + "/tree.barecat";
            sameAsLocal(remote, Map.of(), "ls", "-R");
            sameAsLocal(remote, Map.of(), "cat", "big.bin");
            sameAsLocal(remote, Map.of(), "verify", "-q");
        }
    }

    @Test
    void aPublicBucketIsReadWithAnonymousAndNoCredentials() throws Exception {
        try (TestS3Server open = TestS3Server.startPublic(tmp.resolve("public-bucket"))) {
            open.putArchive(archive, "cmd/");
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL", open.endpoint(), "AWS_EC2_METADATA_DISABLED", "true",
                    "HOME", tmp.toString()); // no keys, no ~/.aws
            assertTrue(refused(env, "info", url(), "-o", "cache_dir=" + tmp.resolve("cache"))
                    .startsWith("barecat: " + url() + ": no AWS credentials found"));
            sameAsLocalWith(url(), env, ",anonymous", "ls", "-R");
            sameAsLocalWith(url(), env, ",anonymous", "cat", "big.bin");
        }
    }

    @Test
    void verifyFindsAFileWhoseBytesRottedInTheBucket() throws IOException {
        String damaged = tree.putWithDamagedFile("rotten/", "nested/a/b/c/d/e/f/g/deep.bin", tmp.resolve("shard"));
        Programs.Result r = barecat(tree.awsEnv(TestS3Server.SECRET_KEY), List.of("verify", "-q", damaged, "-o",
                "cache_dir=" + tmp.resolve("cache")));
        assertEquals(1, r.exit(), r.stderr());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("nested/a/b/c/d/e/f/g/deep.bin: CRC-32C mismatch"), lines.get(0));
        assertTrue(lines.get(1).startsWith(damaged + ": 1 problem found"), lines.get(1));
        Programs.Result cat = barecat(tree.awsEnv(TestS3Server.SECRET_KEY), List.of("cat", damaged, "big.bin", "-o",
                "cache_dir=" + tmp.resolve("cache"))).ok();
        assertArrayEquals(Files.readAllBytes(source.resolve("big.bin")), cat.stdout(), "the other files read");
    }

    @Test
    void commandsThatWriteRefuseAUrl() {
        String line = "barecat: " + url() + ": read-only over s3:// (this command needs a local archive)";
        Path out = tmp.resolve("out.barecat");
        for (List<String> command : List.of(List.of("add", url(), source.toString()), List.of("rm", url(), "empty"),
                List.of("mv", url(), "empty", "full"), List.of("defrag", url()), List.of("upgrade", url()),
                List.of("create", url(), source.toString()), List.of("subset", url(), "-o", out.toString()),
                List.of("merge", "-o", out.toString(), url()), List.of("convert", source + ".tar", url()))) {
            Programs.Result r = barecat(Map.of(), command);
            assertEquals(1, r.exit(), command + ": " + r.stderr());
            assertEquals(line + "\n", r.stderr(), command.toString());
        }
        assertTrue(Files.notExists(Path.of("s3:")) && Files.notExists(out), "nothing written");
    }

    /** barecat refuses: exit 1, one line on stderr, nothing on stdout. */
    private String refused(Map<String, String> env, String... args) {
        Programs.Result r = barecat(env, List.of(args));
        assertEquals(1, r.exit(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), "exactly one line: " + r.stderr());
        assertEquals("", r.out());
        return r.stderr().strip();
    }

    @Test
    void aMissingObjectWrongCredentialsOrAWrongEndpointAreOneLine() throws IOException {
        Map<String, String> env = tree.awsEnv(TestS3Server.SECRET_KEY);
        String cache = "cache_dir=" + tmp.resolve("cache");
        assertEquals("barecat: s3://data/nothing.barecat: no such archive (neither the object nor"
                + " nothing.barecat-sqlite-index exists)", refused(env, "ls", "s3://data/nothing.barecat", "-o", cache));
        String denied = refused(tree.awsEnv("not-the-secret"), "verify", url(), "-o", cache);
        assertTrue(denied.startsWith("barecat: " + url() + ": access denied (403"), denied);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String unreachable = refused(env, "cat", url(), "empty", "-o", cache + ",endpoint=http://127.0.0.1:" + port);
        assertTrue(unreachable.startsWith("barecat: " + url() + ": cannot connect to http://127.0.0.1:" + port),
                unreachable);
        assertEquals("barecat: s3://data: not an archive's URL (s3://BUCKET/KEY, http(s)://HOST/PATH)",
                refused(env, "info", "s3://data"));
    }

    @Test
    void remoteOptionsAreCheckedLikeTheMount() {
        Programs.Result local = barecat(Map.of(), List.of("ls", archive.toString(), "-o", "region=x"));
        assertEquals(2, local.exit(), local.stderr());
        assertEquals("barecat: option 'region': only for an archive given by URL (s3://, https://, http://)\n",
                local.stderr());
        Programs.Result unknown = barecat(Map.of(), List.of("ls", url(), "--remote-option", "colour=blue"));
        assertEquals(2, unknown.exit(), unknown.stderr());
        assertTrue(unknown.stderr().startsWith("barecat: option 'colour=blue': unknown"), unknown.stderr());
    }
}
