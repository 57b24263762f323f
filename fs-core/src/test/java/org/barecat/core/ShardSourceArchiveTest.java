package org.barecat.core;

import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An archive whose shards come through {@link ShardSource}s reads as the same archive opened from disk. */
class ShardSourceArchiveTest {
    @TempDir
    Path tmp;

    /** A shard source that hands out at most 7 bytes per read, so reads that take several calls are covered. */
    private static ShardSource.Opener stingy(ArchiveFiles files) {
        return shard -> {
            Path file = files.shard(shard);
            if (!Files.exists(file)) {
                throw new NoSuchFileException("remote:" + file.getFileName());
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return new ShardSource() {
                @Override
                public String name() {
                    return "remote:" + file.getFileName();
                }

                @Override
                public long size() {
                    try {
                        return channel.size();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    ByteBuffer few = dst.slice(dst.position(), Math.min(7, dst.remaining()));
                    int n = channel.read(few, position);
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        };
    }

    private Path writeArchive() throws IOException {
        Path archive = tmp.resolve("data.barecat");
        Random random = new Random(28);
        try (TreeBuilder w = TreeBuilder.archive(archive, 4000)) {
            for (int i = 0; i < 40; i++) {
                byte[] data = new byte[random.nextInt(1500)];
                random.nextBytes(data);
                w.file("d" + (i % 3) + "/f" + i, data);
            }
        }
        return archive;
    }

    @Test
    void readsEveryFileAsTheLocalArchiveDoes() throws IOException {
        Path path = writeArchive();
        ArchiveFiles files = ArchiveFiles.locate(path);
        assertTrue(Files.exists(files.shard(2)), "the test needs several shards");
        try (Archive local = Archive.open(path);
             Archive remote = Archive.open(files.index(), "remote:data.barecat", stingy(files))) {
            assertEquals("remote:data.barecat", remote.name());
            assertEquals(local.stats(), remote.stats());
            IndexScan scan = IndexScan.filesBelow(local, "");
            int count = 0;
            for (Entry e = scan.next(); e != null; e = scan.next(), count++) {
                FileEntry f = (FileEntry) e;
                FileEntry r = (FileEntry) remote.lookup(f.path()).orElseThrow();
                assertArrayEquals(readAll(local, f), readAll(remote, r), f.path());
                assertEquals(-1, remote.readWhole(r, ByteBuffer.allocateDirect((int) r.size() + 8192)));
            }
            assertEquals(40, count);
        }
    }

    @Test
    void aMissingShardFailsTheOpenNamingIt() throws IOException {
        Path path = writeArchive();
        ArchiveFiles files = ArchiveFiles.locate(path);
        Files.delete(files.shard(1));
        IOException e = assertThrows(IOException.class,
                () -> Archive.open(files.index(), "remote:data.barecat", stingy(files)));
        assertEquals("remote:data.barecat-shard-00001: missing shard (the index has files up to shard 7)", e.getMessage());
    }

    @Test
    void checkIndexRefusesADamagedCopy() throws IOException {
        Path path = writeArchive();
        Archive.checkIndex(path);
        byte[] bytes = Files.readAllBytes(path);
        Path damaged = tmp.resolve("damaged.barecat");
        java.util.Arrays.fill(bytes, bytes.length / 2, bytes.length, (byte) 0x5a);
        Files.write(damaged, bytes);
        IOException e = assertThrows(ArchiveFormatException.class, () -> Archive.checkIndex(damaged));
        assertTrue(e.getMessage().startsWith(damaged + ": "), e.getMessage());
    }

    private static byte[] readAll(Archive archive, FileEntry f) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) f.size());
        archive.read(f, 0, buf);
        return buf.array();
    }
}
