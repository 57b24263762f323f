package org.barecat.core;

import org.barecat.testing.RawIndexes;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadVerifierTest {
    private static final int SIZE = 100_000;

    @TempDir
    Path tmp;
    private Path archive;
    private byte[] data;

    @BeforeEach
    void writeArchive() throws IOException {
        data = new byte[SIZE];
        new Random(3).nextBytes(data);
        archive = tmp.resolve("v.barecat");
        try (TreeBuilder w = TreeBuilder.archive(archive)) {
            w.file("before", new byte[] {1, 2, 3});
            w.file("file", data);
        }
    }

    /** Flips one byte of "file" in the shard, past the first chunk a reader asks for. */
    private void corrupt() throws IOException {
        try (RandomAccessFile shard = new RandomAccessFile(tmp.resolve("v.barecat-shard-00000").toFile(), "rw")) {
            long at = 3 + 70_000;
            shard.seek(at);
            int b = shard.read();
            shard.seek(at);
            shard.write(b ^ 0x40);
        }
    }

    /** Reads [from, to) of the file through the archive and feeds the verifier, as BarecatFs.read does. */
    private static void read(Archive a, FileEntry f, ReadVerifier v, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) (to - from));
        a.read(f, from, buf);
        v.bytesRead(from, buf.flip());
    }

    @Test
    void sequentialReadOfAnIntactFilePasses() throws IOException {
        try (Archive a = Archive.open(archive)) {
            FileEntry f = (FileEntry) a.lookup("file").orElseThrow();
            ReadVerifier v = new ReadVerifier(a, f);
            for (long at = 0; at < SIZE; at += 32_768) {
                long from = at;
                assertDoesNotThrow(() -> read(a, f, v, from, Math.min(SIZE, from + 32_768)));
            }
        }
    }

    @Test
    void damagedFileFailsExactlyTheReadThatReachesTheEnd() throws IOException {
        corrupt();
        try (Archive a = Archive.open(archive)) {
            FileEntry f = (FileEntry) a.lookup("file").orElseThrow();
            ReadVerifier v = new ReadVerifier(a, f);
            read(a, f, v, 0, 65_536);
            read(a, f, v, 65_536, 98_304); // holds the damaged byte, but is not the end
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> read(a, f, v, 98_304, SIZE));
            java.util.zip.CRC32C good = new java.util.zip.CRC32C();
            good.update(data);
            assertEquals(String.format("file: CRC-32C mismatch (the index says %08x, the bytes have %08x)",
                    good.getValue(), a.checksum(f)), e.getMessage());
            assertThrows(ChecksumMismatchException.class, () -> read(a, f, v, 98_304, SIZE), "and again");
        }
    }

    @Test
    void readsInAnyOrderWithOverlapsAreCheckedAsTheyArrive() throws IOException {
        Random random = new Random(4);
        for (boolean damaged : new boolean[] {false, true}) {
            if (damaged) {
                corrupt();
            }
            try (Archive a = Archive.open(archive)) {
                FileEntry f = (FileEntry) a.lookup("file").orElseThrow();
                for (int trial = 0; trial < 30; trial++) {
                    List<long[]> chunks = new ArrayList<>();
                    for (long at = 0; at < SIZE; ) {
                        long end = Math.min(SIZE, at + 1 + random.nextInt(30_000));
                        chunks.add(new long[] {Math.max(0, at - random.nextInt(3) * 500L), end}); // some overlap
                        at = end;
                    }
                    long[] last = chunks.remove(chunks.size() - 1);
                    Collections.shuffle(chunks, random);
                    ReadVerifier v = new ReadVerifier(a, f);
                    for (long[] c : chunks) {
                        read(a, f, v, c[0], c[1]);
                    }
                    if (damaged) {
                        assertThrows(ChecksumMismatchException.class, () -> read(a, f, v, last[0], last[1]));
                    } else {
                        assertDoesNotThrow(() -> read(a, f, v, last[0], last[1]));
                    }
                }
            }
        }
    }

    @Test
    void readsThatCoverTheFileNeedNoSecondPassOverIt() throws IOException {
        try (Archive a = Archive.open(archive)) {
            FileEntry f = (FileEntry) a.lookup("file").orElseThrow();
            ReadVerifier v = new ReadVerifier(a, f);
            read(a, f, v, 50_000, 90_000);
            read(a, f, v, 0, 50_000);
            ByteBuffer end = ByteBuffer.allocate(SIZE - 90_000);
            a.read(f, 90_000, end);
            // with the shard emptied, a second pass over the file would fail to read it
            try (RandomAccessFile shard = new RandomAccessFile(tmp.resolve("v.barecat-shard-00000").toFile(), "rw")) {
                shard.setLength(0);
            }
            assertDoesNotThrow(() -> v.bytesRead(90_000, end.flip()));
        }
    }

    @Test
    void readOfTheEndAloneChecksTheWholeFile() throws IOException {
        try (Archive a = Archive.open(archive)) {
            FileEntry f = (FileEntry) a.lookup("file").orElseThrow();
            assertDoesNotThrow(() -> read(a, f, new ReadVerifier(a, f), SIZE - 10, SIZE));
        }
        corrupt();
        try (Archive a = Archive.open(archive)) {
            FileEntry f = (FileEntry) a.lookup("file").orElseThrow();
            ReadVerifier skipped = new ReadVerifier(a, f);
            read(a, f, skipped, 0, 10_000);
            assertThrows(ChecksumMismatchException.class, () -> read(a, f, skipped, 90_000, SIZE),
                    "bytes 10000 to 90000 never came through this handle");
            assertThrows(ChecksumMismatchException.class, () -> read(a, f, new ReadVerifier(a, f), SIZE - 10, SIZE),
                    "the end alone: the pages before it may be in the kernel's cache from an earlier reader");
        }
    }

    @Test
    void emptyFileIsCheckedWhenOpenedSinceNoReadWillReachItsEnd() throws Exception {
        Path index = tmp.resolve("e.barecat");
        java.nio.file.Files.write(tmp.resolve("e.barecat-shard-00000"), new byte[0]);
        try (java.sql.Connection c = RawIndexes.legacyIndex(index); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO files (path, shard, offset, size, crc32c) VALUES ('right', 0, 0, 0, 0),"
                    + " ('wrong', 0, 0, 0, 1234)");
        }
        try (Archive a = Archive.open(index)) {
            assertDoesNotThrow(() -> ReadVerifier.open(a, (FileEntry) a.lookup("right").orElseThrow()));
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> ReadVerifier.open(a, (FileEntry) a.lookup("wrong").orElseThrow()));
            assertEquals("wrong: CRC-32C mismatch (the index says 000004d2, the bytes have 00000000)", e.getMessage());
        }
    }

    @Test
    void fileWithoutStoredChecksumIsNotChecked() throws Exception {
        Path index = tmp.resolve("n.barecat");
        java.nio.file.Files.write(tmp.resolve("n.barecat-shard-00000"), new byte[] {9, 9, 9});
        try (java.sql.Connection c = RawIndexes.legacyIndex(index)) {
            RawIndexes.insertFile(c, "nocrc", 0, 0, 3);
        }
        try (Archive a = Archive.open(index)) {
            FileEntry f = (FileEntry) a.lookup("nocrc").orElseThrow();
            assertEquals(false, ReadVerifier.applies(f));
            assertDoesNotThrow(() -> read(a, f, new ReadVerifier(a, f), 0, 3));
        }
    }
}
