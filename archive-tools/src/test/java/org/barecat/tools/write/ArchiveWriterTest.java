package org.barecat.tools.write;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveStats;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.FileEntry;
import org.barecat.core.ShardLocation;
import org.barecat.testing.SampleTrees;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Recorder;
import org.barecat.tools.WriterSink;
import org.barecat.tools.verify.ArchiveVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import static org.barecat.testing.Bytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveWriterTest {
    @TempDir
    Path tmp;

    private Path writeSample() throws IOException {
        Path archive = tmp.resolve("sample.barecat");
        SampleTrees.small(WriterSink.builder(ArchiveWriter.create(archive))).build();
        return archive;
    }

    @Test
    void keepsDirectoryStatisticsRight() throws IOException {
        try (Archive archive = Archive.open(writeSample())) {
            assertEquals(new DirStats(1, 1, 3, 14), ((DirEntry) archive.lookup("").orElseThrow()).stats());
            assertEquals(new DirStats(2, 1, 2, 5), ((DirEntry) archive.lookup("a").orElseThrow()).stats());
            assertEquals(new DirStats(0, 1, 1, 5), ((DirEntry) archive.lookup("a/b").orElseThrow()).stats());
            assertEquals(new ArchiveStats(3, 4, 14, 14, 1), archive.stats());
        }
    }

    @Test
    void triggersKeepStatisticsWhenAnotherProgramAddsFiles() throws Exception {
        Path archive = writeSample();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + archive);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA recursive_triggers = ON"); // as the Python barecat opens every index
            s.execute("PRAGMA foreign_keys = ON");
            s.execute("INSERT INTO files (path, shard, offset, size) VALUES ('a/b/new.bin', 0, 0, 100)");
            s.execute("DELETE FROM files WHERE path = 'top.txt'");
        }
        try (Archive reopened = Archive.open(archive)) {
            assertEquals(new DirStats(1, 0, 3, 105), ((DirEntry) reopened.lookup("").orElseThrow()).stats());
            assertEquals(new DirStats(0, 2, 2, 105), ((DirEntry) reopened.lookup("a/b").orElseThrow()).stats());
        }
    }

    @Test
    void rotatesShardsAtTheSizeLimit() throws IOException {
        Path archive = tmp.resolve("s.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive, 10, false)) {
            w.add("f1", bytes("aaaaaa"), Attributes.NONE);
            w.add("f2", bytes("bbbb"), Attributes.NONE);
            w.add("f3", bytes("cc"), Attributes.NONE);
            w.add("big", bytes("dddddddddddddddd"), Attributes.NONE);
        }
        assertEquals(10, Files.size(tmp.resolve("s.barecat-shard-00000")));
        assertEquals(2, Files.size(tmp.resolve("s.barecat-shard-00001")));
        assertEquals(16, Files.size(tmp.resolve("s.barecat-shard-00002")));
        try (Archive a = Archive.open(archive)) {
            FileEntry f3 = (FileEntry) a.lookup("f3").orElseThrow();
            assertEquals(new ShardLocation(1, 0), f3.location());
            ByteBuffer big = ByteBuffer.allocate(32);
            assertEquals(16, a.read((FileEntry) a.lookup("big").orElseThrow(), 0, big));
            assertArrayEquals(bytes("dddddddddddddddd"), Arrays.copyOf(big.array(), 16));
        }
    }

    @Test
    void refusesToOverwriteWithoutBeingAsked() throws IOException {
        Path archive = writeSample();
        byte[] before = Files.readAllBytes(archive);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ArchiveWriter.create(archive));
        assertArrayEquals(before, Files.readAllBytes(archive));
    }

    @Test
    void refusesDuplicateAndConflictingPaths() throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(tmp.resolve("d.barecat"))) {
            w.add("x/y", bytes("1"), Attributes.NONE);
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> w.add("x/y", bytes("2"), Attributes.NONE));
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> w.add("x", bytes("2"), Attributes.NONE));
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> w.add("x/y/z", bytes("2"), Attributes.NONE));
            assertThrows(IOException.class, () -> w.add("../evil", bytes("2"), Attributes.NONE));
        }
    }

    /** Adds first (4 bytes), then short, whose source ends after 2 of the 5 bytes promised. */
    private static void addFirstAndAShortOne(ArchiveWriter w) throws IOException {
        w.add("first", bytes("1111"), Attributes.NONE);
        assertThrows(EOFException.class, () -> w.add("short", new ByteArrayInputStream(bytes("22")), 5,
                Attributes.NONE));
    }

    @Test
    void shortSourceLeavesAGapAndTheWriterUsable() throws IOException {
        Path archive = tmp.resolve("g.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive)) {
            addFirstAndAShortOne(w);
            w.add("second", bytes("3333"), Attributes.NONE);
        }
        try (Archive a = Archive.open(archive)) {
            assertTrue(a.lookup("short").isEmpty());
            FileEntry second = (FileEntry) a.lookup("second").orElseThrow();
            assertEquals(new ShardLocation(0, 6), second.location(), "after the 2 unused bytes");
            ByteBuffer buf = ByteBuffer.allocate(4);
            a.read(second, 0, buf);
            assertArrayEquals(bytes("3333"), buf.array());
        }
        assertTrue(ArchiveVerifier.verify(archive, true, ProgressListener.NONE).ok());
    }

    @Test
    void aLastFileWhoseSourceEndedEarlyLeavesNoBytesAtTheShardsEnd() throws IOException {
        Path archive = tmp.resolve("g.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive)) {
            addFirstAndAShortOne(w);
        }
        assertEquals(4, Files.size(tmp.resolve("g.barecat-shard-00000")));
        Recorder r = new Recorder();
        assertTrue(ArchiveVerifier.verify(archive, true, r).ok(), r.problems.toString());
        assertEquals(List.of(), r.notes);
    }

}
