package org.barecat.it;

import org.barecat.remote.TestS3Server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tests of archives on a server read: the awkward tree packed into an archive of many shards,
 * put in a bucket of a real S3 server (S3Proxy in this JVM, authentication on) under a prefix.
 */
record RemoteTree(Path source, Path archive, TestS3Server s3, String prefix) implements AutoCloseable {
    /** Builds the tree and the archive under {@code dir}, starts the server and puts the archive in it. */
    static RemoteTree start(Path dir, String prefix) throws Exception {
        Path source = Trees.buildAwkwardTree(dir.resolve("source"));
        Path archive = Launchers.create(source, Files.createDirectory(dir.resolve("out")).resolve("tree.barecat"), "-s", "64K");
        assertTrue(Files.exists(dir.resolve("out/tree.barecat-shard-00004")), "the tree spans many shards");
        TestS3Server s3 = TestS3Server.start(dir.resolve("bucket"));
        s3.putArchive(archive, prefix);
        return new RemoteTree(source, archive, s3, prefix);
    }

    /** The archive's URL in the bucket. */
    String url() {
        return "s3://" + TestS3Server.BUCKET + "/" + prefix + "tree.barecat";
    }

    /** What a user of a MinIO-like server sets: keys, the endpoint, no instance metadata to ask. */
    Map<String, String> awsEnv(String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", TestS3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_ENDPOINT_URL", s3.endpoint());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    /**
     * Puts the archive under {@code otherPrefix} with one byte of file {@code path} changed in its shard
     * (the index, and so the file's checksum, as they were), as a bucket's bytes may rot.
     *
     * @return the damaged archive's URL
     */
    String putWithDamagedFile(String otherPrefix, String path, Path scratch) throws IOException {
        s3.putArchive(archive, otherPrefix);
        String[] row = Sql.query(archive, "SELECT shard, offset, size FROM files WHERE path = '" + path + "'")
                .strip().split(" ");
        long size = Long.parseLong(row[2]);
        assertTrue(size > 0, path + " has bytes to damage");
        String shard = archive.getFileName() + "-shard-" + String.format("%05d", Integer.parseInt(row[0]));
        Path copy = Files.copy(archive.resolveSibling(shard), scratch);
        try (var channel = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = Long.parseLong(row[1]) + size / 2;
            channel.read(b, at);
            b.put(0, (byte) ~b.get(0)).rewind();
            channel.write(b, at);
        }
        s3.put(otherPrefix + shard, copy);
        return "s3://" + TestS3Server.BUCKET + "/" + otherPrefix + archive.getFileName();
    }

    /** The archive's index and shards copied into {@code dir}, for a web server to serve. */
    void copyArchiveTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(archive.getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }

    @Override
    public void close() throws Exception {
        s3.close();
    }
}
