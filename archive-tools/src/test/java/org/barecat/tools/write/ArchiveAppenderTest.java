package org.barecat.tools.write;

import org.barecat.core.Archive;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.FileEntry;
import org.barecat.core.ShardLocation;
import org.barecat.testing.ArchiveSnapshot;
import org.barecat.testing.RawIndexes;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Recorder;
import org.barecat.tools.WriterSink;
import org.barecat.tools.verify.ArchiveVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.zip.CRC32C;

import static org.barecat.testing.Bytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveAppenderTest {
    @TempDir
    Path tmp;

    @Test
    void appenderContinuesTheLastShardRotatesAtTheLimitAndKeepsStatistics() throws IOException {
        Path archive = WriterSink.threeFiles(tmp.resolve("s.barecat"));
        long lastShardSize = Files.size(tmp.resolve("s.barecat-shard-00001"));
        try (ArchiveAppender app = ArchiveAppender.open(archive, ArchiveAppender.Existing.FAIL)) {
            assertTrue(app.usesTriggers());
            app.add("a/b/four", new ByteArrayInputStream(bytes("4444")), 4, Attributes.NONE);
            app.add("c/five", ByteBuffer.wrap(bytes("55555555555555555")), crc(bytes("55555555555555555")),
                    Attributes.NONE);
            app.addDirectory("c/empty", new Attributes(040700, 1, 2, 3L));
            assertThrows(FileAlreadyExistsException.class, () -> app.add("three", ByteBuffer.wrap(bytes("x")), 0,
                    Attributes.NONE));
            assertThrows(FileAlreadyExistsException.class, () -> app.add("three/x", ByteBuffer.wrap(bytes("x")), 0,
                    Attributes.NONE));
            assertThrows(FileAlreadyExistsException.class, () -> app.add("a", ByteBuffer.wrap(bytes("x")), 0,
                    Attributes.NONE));
        }
        assertEquals(lastShardSize + 4, Files.size(tmp.resolve("s.barecat-shard-00001")));
        assertEquals(17, Files.size(tmp.resolve("s.barecat-shard-00002")));
        Recorder r = new Recorder();
        assertTrue(ArchiveVerifier.verify(archive, true, r).ok(), r.problems.toString());
        try (Archive a = Archive.open(archive)) {
            assertEquals(new DirStats(2, 1, 5, 40), ((DirEntry) a.lookup("").orElseThrow()).stats());
            assertEquals(new DirStats(1, 1, 1, 17), ((DirEntry) a.lookup("c").orElseThrow()).stats());
            assertEquals(new Attributes(040700, 1, 2, 3L), a.lookup("c/empty").orElseThrow().attributes());
        }
    }

    @Test
    void bytesNoFileOwnsAtAShardsEndAreReportedAndTheNextAppendStartsBeforeThem() throws IOException {
        // what an add stopped by SIGKILL leaves: bytes after the last file, a shard begun with no file in it
        Path archive = WriterSink.threeFiles(tmp.resolve("s.barecat"));
        Path shard1 = tmp.resolve("s.barecat-shard-00001");
        Path shard2 = tmp.resolve("s.barecat-shard-00002");
        Files.write(shard1, bytes("?????"), java.nio.file.StandardOpenOption.APPEND);
        Files.write(shard2, bytes("???????"));
        Files.write(tmp.resolve("s.barecat-shard-00000"), bytes("!!"), java.nio.file.StandardOpenOption.APPEND);
        Recorder r = new Recorder();
        assertTrue(ArchiveVerifier.verify(archive, true, r).ok(), "every file reads right: " + r.problems);
        String why = " bytes at the end, left by an interrupted write or by deleted files)";
        assertEquals(List.of(tmp.resolve("s.barecat-shard-00000") + ": bytes 16 to 18 belong to no file (2" + why,
                shard1 + ": bytes 3 to 8 belong to no file (5" + why + "; appending to the archive cuts them off",
                shard2 + ": bytes 0 to 7 belong to no file (7" + why + "; appending to the archive removes this shard"),
                r.notes);

        try (ArchiveAppender app = ArchiveAppender.open(archive, ArchiveAppender.Existing.FAIL)) {
            assertEquals(new ShardLocation(1, 3), app.add("four", ByteBuffer.wrap(bytes("4444")), crc(bytes("4444")),
                    Attributes.NONE).location(), "right after the last file");
        }
        assertEquals(7, Files.size(shard1));
        assertFalse(Files.exists(shard2), "a shard no file is in is removed");
        Recorder after = new Recorder();
        assertTrue(ArchiveVerifier.verify(archive, true, after).ok(), after.problems.toString());
        assertEquals(List.of(tmp.resolve("s.barecat-shard-00000") + ": bytes 16 to 18 belong to no file (2" + why),
                after.notes, "only the last shard that has a file is cut");
    }

    @Test
    void abortedAppendLeavesIndexAndShardsAsTheyWere() throws IOException {
        Path archive = WriterSink.threeFiles(tmp.resolve("s.barecat"));
        ArchiveSnapshot before = ArchiveSnapshot.of(archive);
        ArchiveAppender app = ArchiveAppender.open(archive, ArchiveAppender.Existing.OVERWRITE);
        app.add("three", new ByteArrayInputStream(bytes("new")), 3, Attributes.NONE);
        app.add("big", new ByteArrayInputStream(new byte[100]), 100, Attributes.NONE);
        app.abort();
        before.assertUnchanged();
    }

    @Test
    void overwriteAndSkipExisting() throws IOException {
        Path archive = WriterSink.threeFiles(tmp.resolve("s.barecat"));
        try (ArchiveAppender app = ArchiveAppender.open(archive, ArchiveAppender.Existing.SKIP)) {
            assertTrue(app.skips("three"));
            assertFalse(app.skips("nine"));
        }
        try (ArchiveAppender app = ArchiveAppender.open(archive, ArchiveAppender.Existing.OVERWRITE)) {
            app.add("three", new ByteArrayInputStream(bytes("longer!")), 7, Attributes.NONE);
        }
        try (Archive a = Archive.open(archive)) {
            FileEntry f = (FileEntry) a.lookup("three").orElseThrow();
            assertEquals(7, f.size());
            assertEquals(23, ((DirEntry) a.lookup("").orElseThrow()).stats().sizeTree());
        }
        assertTrue(ArchiveVerifier.verify(archive, true, ProgressListener.NONE).ok());
    }

    @Test
    void appendingToAnIndexWithoutTriggersRebuildsStatisticsAndMissingRows() throws Exception {
        Path index = tmp.resolve("old.barecat-sqlite-index");
        Files.write(tmp.resolve("old.barecat-shard-00000"), bytes("xxHELLOyyWORLD"));
        try (Connection c = RawIndexes.legacyIndex(index)) {
            RawIndexes.insertFile(c, "x/deep/a.txt", 0, 2, 5);
            RawIndexes.insertFile(c, "x/b.txt", 0, 9, 5);
            RawIndexes.insertDir(c, "y/only");
        }
        Recorder before = new Recorder();
        ArchiveVerifier.verify(tmp.resolve("old.barecat"), true, before);
        assertTrue(before.problems.isEmpty(), "no statistics rows to be wrong, no checksums: " + before.problems);
        try (ArchiveAppender app = ArchiveAppender.open(tmp.resolve("old.barecat"), ArchiveAppender.Existing.FAIL)) {
            assertFalse(app.usesTriggers());
            app.add("x/deep/c.txt", new ByteArrayInputStream(bytes("cc")), 2, Attributes.NONE);
        }
        assertEquals(16, Files.size(tmp.resolve("old.barecat-shard-00000")));
        try (Archive a = Archive.open(tmp.resolve("old.barecat"))) {
            assertEquals(new DirStats(2, 0, 3, 12), ((DirEntry) a.lookup("").orElseThrow()).stats());
            assertEquals(new DirStats(1, 1, 3, 12), ((DirEntry) a.lookup("x").orElseThrow()).stats());
            assertEquals(new DirStats(1, 0, 0, 0), ((DirEntry) a.lookup("y").orElseThrow()).stats());
        }
        Recorder after = new Recorder();
        assertTrue(ArchiveVerifier.verify(tmp.resolve("old.barecat"), true, after).ok(), after.problems.toString());
    }

    private static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }
}
