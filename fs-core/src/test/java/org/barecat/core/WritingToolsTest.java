package org.barecat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.barecat.core.TestArchives.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Appending, statistics, verification, filters: the fs-core pieces behind the command-line tools. */
class WritingToolsTest {
    @TempDir
    Path tmp;

    /** Collects what a tool reports. */
    static final class Recorder implements ProgressListener {
        final List<String> problems = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        @Override
        public synchronized void note(String path, String message) {
            notes.add(path + ": " + message);
        }

        @Override
        public synchronized void problem(String path, String message) {
            problems.add(path + ": " + message);
        }

        @Override
        public synchronized void skipped(String path, String reason) {
            skipped.add(path);
        }
    }

    private Path sample() throws IOException {
        Path archive = tmp.resolve("s.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive, 16, false)) {
            w.add("a/one", bytes("0123456789"), Attributes.NONE);
            w.add("a/b/two", bytes("abcdef"), Attributes.NONE);
            w.add("three", bytes("xyz"), Attributes.NONE);
        }
        return archive;
    }

    @Test
    void globsAndFiltersMatchLikeTar() {
        assertTrue(Glob.compile("*.jpg").matches("a.jpg"));
        assertFalse(Glob.compile("*.jpg").matches("d/a.jpg"));
        assertTrue(Glob.compile("**/*.jpg").matches("d/e/a.jpg"));
        assertTrue(Glob.compile("**/*.jpg").matches("a.jpg"));
        assertTrue(Glob.compile("d/**").matches("d/e/f"));
        assertTrue(Glob.compile("[a-c]?.[!x]").matches("b1.y"));
        assertFalse(Glob.compile("[a-c]?.[!x]").matches("b1.x"));
        assertTrue(Glob.compile("a+b(c).txt").matches("a+b(c).txt"));
        assertTrue(Glob.compileCrossingSlashes("a*z").matches("a/b/z"));
        PathFilter f = PathFilter.of(List.of("*.tmp", "cache", "x/y"), List.of());
        assertTrue(f.excludes("deep/down/f.tmp"));
        assertTrue(f.excludes("a/cache"));
        assertTrue(f.excludes("x/y"));
        assertFalse(f.excludes("z/x/y"));
        PathFilter inc = PathFilter.of(List.of(), List.of("*.jpg", "keep"));
        assertTrue(inc.includesFile("a/b.jpg"));
        assertTrue(inc.includesFile("keep/any/thing.txt"));
        assertFalse(inc.includesFile("a/b.png"));
    }

    @Test
    void shortSourceLeavesAGapAndTheWriterUsable() throws IOException {
        Path archive = tmp.resolve("g.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive)) {
            w.add("first", bytes("1111"), Attributes.NONE);
            assertThrows(EOFException.class, () -> w.add("short", new ByteArrayInputStream(bytes("22")), 5,
                    Attributes.NONE));
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
    void appenderContinuesTheLastShardRotatesAtTheLimitAndKeepsStatistics() throws IOException {
        Path archive = sample();
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
        Path archive = sample();
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
    void aLastFileWhoseSourceEndedEarlyLeavesNoBytesAtTheShardsEnd() throws IOException {
        Path archive = tmp.resolve("g.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive)) {
            w.add("first", bytes("1111"), Attributes.NONE);
            assertThrows(EOFException.class, () -> w.add("short", new ByteArrayInputStream(bytes("22")), 5,
                    Attributes.NONE));
        }
        assertEquals(4, Files.size(tmp.resolve("g.barecat-shard-00000")));
        Recorder r = new Recorder();
        assertTrue(ArchiveVerifier.verify(archive, true, r).ok(), r.problems.toString());
        assertEquals(List.of(), r.notes);
    }

    @Test
    void abortedAppendLeavesIndexAndShardsAsTheyWere() throws IOException {
        Path archive = sample();
        byte[] index = Files.readAllBytes(archive);
        byte[] shard = Files.readAllBytes(tmp.resolve("s.barecat-shard-00001"));
        ArchiveAppender app = ArchiveAppender.open(archive, ArchiveAppender.Existing.OVERWRITE);
        app.add("three", new ByteArrayInputStream(bytes("new")), 3, Attributes.NONE);
        app.add("big", new ByteArrayInputStream(new byte[100]), 100, Attributes.NONE);
        app.abort();
        assertArrayEquals(index, Files.readAllBytes(archive));
        assertArrayEquals(shard, Files.readAllBytes(tmp.resolve("s.barecat-shard-00001")));
        assertFalse(Files.exists(tmp.resolve("s.barecat-shard-00002")));
    }

    @Test
    void overwriteAndSkipExisting() throws IOException {
        Path archive = sample();
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
        try (Connection c = TestArchives.legacyIndex(index)) {
            TestArchives.insertFile(c, "x/deep/a.txt", 0, 2, 5);
            TestArchives.insertFile(c, "x/b.txt", 0, 9, 5);
            TestArchives.insertDir(c, "y/only");
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

    @Test
    void verifierReportsEachKindOfDamageWithItsPath() throws Exception {
        Path archive = sample();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + archive); Statement s = c.createStatement()) {
            s.execute("UPDATE config SET value_int = 0 WHERE key = 'use_triggers'");
            s.execute("UPDATE files SET crc32c = 1 WHERE path = 'a/one'");
            s.execute("UPDATE files SET offset = 18 WHERE path = 'three'");
            s.execute("INSERT INTO files (path, shard, offset, size) VALUES ('ghost', 7, 0, 1), ('../up', 0, 0, 1)");
            s.execute("UPDATE dirs SET num_files = 9 WHERE path = 'a/b'");
        }
        Recorder r = new Recorder();
        ArchiveVerifier.Report report = ArchiveVerifier.verify(archive, true, r);
        assertFalse(report.ok());
        String all = String.join("\n", r.problems);
        assertTrue(all.contains("a/one: CRC-32C mismatch: the index says 00000001"), all);
        assertTrue(all.contains("three: runs past the end of shard 1"), all);
        assertTrue(all.contains("ghost: in shard 7, which does not exist"), all);
        assertTrue(all.contains("../up: not a valid path"), all);
        assertTrue(all.contains("a/b: directory statistics wrong: num_files is 9, should be 1"), all);
        assertTrue(all.contains("(root): directory statistics wrong: num_files_tree is 3, should be 5"), all);
    }

    @Test
    void dirStatsScanMatchesTheWritersStatistics() throws Exception {
        Path archive = tmp.resolve("many.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive)) {
            for (int i = 0; i < 5000; i++) {
                w.add("d" + (i % 13) + "/e" + (i % 7) + "/f-" + i, new byte[i % 50], Attributes.NONE);
            }
            w.add("d1.txt", new byte[3], Attributes.NONE);
            w.add("d1 x/y", new byte[4], Attributes.NONE);
        }
        List<DirStatsScan.Computed> computed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + archive)) {
            DirStatsScan.run(c, computed::add);
        }
        assertEquals(1 + 13 * 8 + 1, computed.size(), "every directory once");
        try (Archive a = Archive.open(archive)) {
            for (DirStatsScan.Computed d : computed) {
                DirStats s = ((DirEntry) a.lookup(d.path()).orElseThrow()).stats();
                assertEquals(new DirStats(s.numSubdirs(), d.numFiles(), d.numFilesTree(), d.sizeTree()), s, d.path());
            }
        }
    }

    private static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }
}
