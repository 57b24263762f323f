package org.barecat.core;

import org.barecat.testing.RawIndexes;
import org.barecat.testing.SampleTrees;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.barecat.testing.Bytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveTest {
    @TempDir
    Path tmp;

    private Path writeSample() throws IOException {
        return SampleTrees.small(TreeBuilder.archive(tmp.resolve("sample.barecat"))).build();
    }

    private static byte[] readAll(Archive archive, FileEntry f) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) f.size() + 10);
        int n = archive.read(f, 0, buf);
        assertEquals(f.size(), n);
        byte[] out = new byte[n];
        buf.flip().get(out);
        return out;
    }

    @Test
    void roundTripsBytesMetadataAndChecksums() throws IOException {
        try (Archive archive = Archive.open(writeSample())) {
            FileEntry top = (FileEntry) archive.lookup("top.txt").orElseThrow();
            assertArrayEquals(bytes("123456789"), readAll(archive, top));
            assertEquals(0xE3069283L, top.crc32c());
            assertEquals(new Attributes(0100640, 1000, 1001, 1_700_000_000_123_456_789L), top.attributes());
            FileEntry c = (FileEntry) archive.lookup("a/b/c.bin").orElseThrow();
            assertArrayEquals(bytes("hello"), readAll(archive, c));
            assertEquals(Attributes.NONE, c.attributes());
            assertEquals(0, ((FileEntry) archive.lookup("a/empty").orElseThrow()).size());
            DirEntry empty = (DirEntry) archive.lookup("a/emptydir").orElseThrow();
            assertEquals(0700, empty.attributes().mode());
            assertEquals(new DirStats(0, 0, 0, 0), empty.stats());
            assertTrue(archive.lookup("nope").isEmpty());
            assertTrue(archive.lookup("a/b/c.bin/x").isEmpty());
        }
    }

    @Test
    void readsRangesAndNeverPastTheFileEnd() throws IOException {
        Path archive = SampleTrees.threeFiles(TreeBuilder.archive(tmp.resolve("r.barecat"))).build();
        try (Archive a = Archive.open(archive)) {
            FileEntry one = (FileEntry) a.lookup("a/one").orElseThrow(); // "0123456789", the next file's bytes after it
            ByteBuffer buf = ByteBuffer.allocate(100);
            assertEquals(4, a.read(one, 6, buf));
            assertEquals("6789", new String(buf.array(), 0, 4));
            assertEquals(0, a.read(one, 10, ByteBuffer.allocate(5)));
            assertEquals(0, a.read(one, 1 << 40, ByteBuffer.allocate(5)));
            ByteBuffer three = ByteBuffer.allocate(3);
            assertEquals(3, a.read(one, 2, three));
            assertEquals("234", new String(three.array()));
        }
    }

    @Test
    void listsLargeDirectoriesCompletelyAcrossPages() throws IOException {
        Path archive = tmp.resolve("big.barecat");
        int n = DirectoryListing.PAGE_SIZE * 3 + 7;
        try (TreeBuilder w = TreeBuilder.archive(archive)) {
            for (int i = 0; i < n; i++) {
                w.file("d/f" + i, new byte[0]);
            }
            for (int i = 0; i < 600; i++) {
                w.dir("d/sub" + i);
            }
        }
        try (Archive a = Archive.open(archive)) {
            List<String> names = new ArrayList<>();
            a.list("d").forEachRemaining(e -> names.add(e.name()));
            assertEquals(n + 600, names.size());
            assertEquals(n + 600, new HashSet<>(names).size());
        }
    }

    @Test
    void aListingResumesAfterAnyOfItsChildrenAsIfItHadReadUpToIt() throws Exception {
        Path archive = tmp.resolve("resume.barecat");
        int n = DirectoryListing.PAGE_SIZE + 5;
        try (TreeBuilder w = TreeBuilder.archive(archive)) {
            for (int i = 0; i < n; i++) {
                w.file("d/f" + i, new byte[0]); // most files below d are its own: listed by the index on paths
                w.dir("d/sub" + i);
            }
            for (String f : List.of("d/imp/x", "d/imp/deep/q", "d/imp-x/y/z", "d/a/deeper/z", "d/a-b/z")) {
                w.file(f, new byte[0]);
            }
            for (int i = 0; i < 20; i++) {
                w.file(i < 3 ? "e/f" + i : "e/s/g" + i, new byte[0]); // listed by the index on parents
            }
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + archive);
             Statement s = c.createStatement()) { // directories that exist only as the parents of rows
            s.execute("DELETE FROM dirs WHERE path IN ('d/imp', 'd/imp/deep', 'd/imp-x', 'd/imp-x/y', 'd/a', 'd/a/deeper', 'd/a-b')");
        }
        try (Archive a = Archive.open(archive)) {
            List<String> d = names(a.listChildren("d"));
            assertTrue(d.containsAll(List.of("imp", "imp-x", "a", "a-b")), d.toString());
            for (String dir : List.of("d", "e", "e/s", "")) {
                assertResumesAfterEveryChild(a, dir);
            }
            DirectoryListing<Entry> dirs = a.listDirectories("d");
            assertFalse(dirs.skipPast("f3"), "a file is no child of a listing of directories");
            assertTrue(dirs.skipPast("sub3"));
            List<String> all = names(a.listDirectories("d"));
            assertEquals(all.subList(all.indexOf("sub3") + 1, all.size()), names(dirs));
            DirectoryListing<Child> read = a.listChildren("d");
            for (String name : List.of("nothing", "..", ".", "", "imp/x", "sub3/")) {
                assertFalse(read.skipPast(name), name);
            }
            read.take();
            assertThrows(IllegalStateException.class, () -> read.skipPast("f3"));
        }
        try (Archive a = Archive.open(legacySample())) { // no rowids: the keys are paths
            for (String dir : List.of("", "a", "a/b")) {
                assertResumesAfterEveryChild(a, dir);
            }
        }
    }

    private static List<String> names(DirectoryListing<?> listing) throws IOException {
        List<String> out = new ArrayList<>();
        for (Object e = listing.take(); e != null; e = listing.take()) {
            out.add(e instanceof Entry entry ? entry.name() : ((Child) e).name());
        }
        return out;
    }

    private static void assertResumesAfterEveryChild(Archive a, String dir) throws IOException {
        List<String> all = names(a.list(dir));
        assertEquals(all, names(a.listChildren(dir)));
        for (int i = 0; i < all.size(); i++) {
            if (i % 37 != 0 && i > 3 && i < all.size() - 12 && all.get(i).matches("(f|sub)[0-9]+")) {
                continue; // every run's first and last children and its odd names, and a sample of the rest
            }
            DirectoryListing<Child> rest = a.listChildren(dir);
            assertTrue(rest.skipPast(all.get(i)), all.get(i));
            assertEquals(all.subList(i + 1, all.size()), names(rest), dir + " after " + all.get(i));
        }
        DirectoryListing<Entry> whole = a.list(dir);
        if (!all.isEmpty()) {
            assertTrue(whole.skipPast(all.get(0)));
            assertEquals(all.subList(1, all.size()), names(whole));
        }
    }

    @Test
    void findsFilesByTheRowsThatLookupsAndListingsGive() throws IOException {
        try (Archive archive = Archive.open(writeSample())) {
            assertTrue(archive.hasFileRows());
            FileEntry c = (FileEntry) archive.lookup("a/b/c.bin").orElseThrow();
            FileEntry top = (FileEntry) archive.lookup("top.txt").orElseThrow();
            assertTrue(c.row() != FileEntry.NO_ROW && top.row() != FileEntry.NO_ROW && c.row() != top.row());
            assertEquals(c, archive.file(c.row()).orElseThrow());
            assertEquals(top, archive.file(top.row()).orElseThrow());
            assertEquals(c, archive.list("a/b").take(), "a listing's row is the lookup's");
            assertTrue(archive.file(Math.max(c.row(), top.row()) + 100).isEmpty());
        }
    }

    @Test
    void filesOfAnIndexWithoutRowidsHaveNoRow() throws Exception {
        try (Archive a = Archive.open(legacySample())) {
            assertFalse(a.hasFileRows());
            FileEntry c = (FileEntry) a.lookup("a/b/c.bin").orElseThrow();
            assertEquals(FileEntry.NO_ROW, c.row());
            assertEquals(FileEntry.NO_ROW, ((FileEntry) a.list("a/b").take()).row());
            assertTrue(a.file(1).isEmpty());
        }
    }

    @Test
    void opensLegacyIndexNameAndShowsDirectoriesThatHaveNoRow() throws Exception {
        Path index = tmp.resolve("old.barecat-sqlite-index");
        Files.write(tmp.resolve("old.barecat-shard-00000"), bytes("xxHELLOyyWORLD"));
        try (Connection c = RawIndexes.legacyIndex(index)) {
            RawIndexes.insertFile(c, "x/deep/er/a.txt", 0, 2, 5);   // no dirs rows at all for x, x/deep, ...
            RawIndexes.insertFile(c, "x/b.txt", 0, 9, 5);
            RawIndexes.insertFile(c, "x/deep.txt", 0, 9, 5);       // sorts between "x/deep" and "x/deep/"
            RawIndexes.insertFile(c, "x/deep 2/c.txt", 0, 9, 5);
            RawIndexes.insertDir(c, "y/only/dir/row");            // dirs row whose ancestors have none
            RawIndexes.insertFile(c, "x/..", 0, 0, 1);            // hostile names never show
            RawIndexes.insertFile(c, "x//z", 0, 0, 1);
        }
        try (Archive a = Archive.open(tmp.resolve("old.barecat"))) {
            assertEquals(Set.of("x", "y"), names(a, ""));
            assertEquals(Set.of("deep", "deep 2", "b.txt", "deep.txt"), names(a, "x"));
            assertEquals(Set.of("er"), names(a, "x/deep"));
            assertEquals(Set.of("only"), names(a, "y"));
            assertInstanceOf(DirEntry.class, a.lookup("x/deep/er").orElseThrow());
            assertInstanceOf(DirEntry.class, a.lookup("y/only/dir").orElseThrow());
            assertTrue(a.lookup("x/de").isEmpty());
            FileEntry f = (FileEntry) a.lookup("x/deep/er/a.txt").orElseThrow();
            ByteBuffer buf = ByteBuffer.allocate(5);
            a.read(f, 0, buf);
            assertEquals("HELLO", new String(buf.array()));
            assertNull(f.crc32c());
        }
        try (Archive viaIndexName = Archive.open(index)) {
            assertTrue(viaIndexName.lookup("x/b.txt").isPresent());
        }
    }

    private static Set<String> names(Archive a, String dir) {
        Set<String> out = new TreeSet<>();
        List<String> all = new ArrayList<>();
        a.list(dir).forEachRemaining(e -> all.add(e.name()));
        out.addAll(all);
        assertEquals(all.size(), out.size(), "no name listed twice: " + all);
        return out;
    }

    @Test
    void writesNothingBesideTheArchive() throws Exception {
        Path archive = writeSample();
        Set<Path> before;
        try (Stream<Path> s = Files.list(tmp)) {
            before = s.collect(Collectors.toSet());
        }
        try (Archive a = Archive.open(archive)) {
            a.lookup("a/b/c.bin");
            a.list("a").forEachRemaining(e -> { });
            a.stats();
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(before, s.collect(Collectors.toSet()), "no -wal, -shm or -journal while open");
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(before, s.collect(Collectors.toSet()));
        }
    }

    @Test
    void everyQueryOnTheLookupListAndReadPathsIsAnIndexSearch() throws Exception {
        for (Path archive : List.of(writeSample(), legacySample())) {
            try (Archive a = Archive.open(archive)) {
                a.lookup("a/b/c.bin");
                a.lookup("a/b");
                a.lookup("a/nothing");
                for (String dir : List.of("", "a", "a/b")) {
                    a.list(dir).forEachRemaining(e -> { });
                }
                Set<String> sql = a.index().preparedSql();
                assertTrue(sql.size() >= 8, sql.toString());
                try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + a.files().index())) {
                    for (String q : sql) {
                        String plan = plan(c, q);
                        assertFalse(plan.matches("(?s).*\\bSCAN\\b.*") || plan.contains("TEMP B-TREE"),
                                archive.getFileName() + ": " + q + " -> " + plan);
                    }
                }
            }
        }
    }

    @Test
    void aLoneReaderKeepsUsingTheConnectionGivenBackLast() throws Exception {
        try (Archive a = Archive.open(writeSample())) {
            ArchiveIndex index = a.index();
            // a query inside a query holds two connections at once: the outer one is given back last
            Object[] outer = new Object[1];
            Object inner = index.query(o -> {
                outer[0] = o;
                try {
                    return index.query(i -> i);
                } catch (IOException e) {
                    throw new java.sql.SQLException(e);
                }
            });
            assertNotSame(outer[0], inner);
            for (int k = 0; k < 3; k++) {
                assertSame(outer[0], index.query(c -> c), "query " + k);
            }
        }
    }

    private Path legacySample() throws Exception {
        Path index = tmp.resolve("legacy.barecat");
        Files.write(tmp.resolve("legacy.barecat-shard-00000"), bytes("hello"));
        try (Connection c = RawIndexes.legacyIndex(index)) {
            RawIndexes.insertFile(c, "a/b/c.bin", 0, 0, 5);
            RawIndexes.insertDir(c, "a");
        }
        return index;
    }

    private static String plan(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 1; i <= s.getParameterMetaData().getParameterCount(); i++) {
                s.setString(i, "a");
            }
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(4)).append("; ");
                }
            }
            return out.toString();
        }
    }

    @Test
    void rejectsWhatIsNotAReadableArchive() throws Exception {
        assertThrows(NoSuchFileException.class, () -> Archive.open(tmp.resolve("missing.barecat")));

        Path text = Files.writeString(tmp.resolve("text.barecat"), "this is not a database, just some text bytes");
        IOException e1 = assertThrows(ArchiveFormatException.class, () -> Archive.open(text));
        assertEquals(text + ": not an SQLite database", e1.getMessage());

        Path other = tmp.resolve("other.barecat");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x)");
        }
        IOException e2 = assertThrows(ArchiveFormatException.class, () -> Archive.open(other));
        assertTrue(e2.getMessage().startsWith(other + ": not a Barecat index"), e2.getMessage());

        Path newer = writeSample();
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + newer);
             Statement s = c.createStatement()) {
            s.execute("UPDATE config SET value_int = 1 WHERE key = 'schema_version_major'");
        }
        IOException e3 = assertThrows(ArchiveFormatException.class, () -> Archive.open(newer));
        assertTrue(e3.getMessage().contains("unsupported Barecat schema version 1"), e3.getMessage());

        Path noShard = tmp.resolve("noshard.barecat");
        try (TreeBuilder w = TreeBuilder.archive(noShard)) {
            w.file("f", bytes("x"));
        }
        Files.delete(tmp.resolve("noshard.barecat-shard-00000"));
        IOException e4 = assertThrows(ArchiveFormatException.class, () -> Archive.open(noShard));
        assertEquals(tmp.resolve("noshard.barecat-shard-00000") + ": missing shard (the index has files in it)",
                e4.getMessage());
    }

    @Test
    void truncatedShardFailsOnlyTheFilesPastItsEnd() throws IOException {
        Path archive = TreeBuilder.archive(tmp.resolve("t.barecat"))
                .file("good", bytes("12345"))
                .file("cut", bytes("67890"))
                .build();
        try (var ch = java.nio.channels.FileChannel.open(tmp.resolve("t.barecat-shard-00000"),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(7);
        }
        try (Archive a = Archive.open(archive)) {
            assertArrayEquals(bytes("12345"), readAll(a, (FileEntry) a.lookup("good").orElseThrow()));
            FileEntry cut = (FileEntry) a.lookup("cut").orElseThrow();
            assertThrows(java.io.EOFException.class, () -> a.read(cut, 0, ByteBuffer.allocate(5)));
        }
    }

    @Test
    void aShardTruncatedWhileOpenIsReportedWithTheLengthItHasNow() throws IOException {
        // the message used to give where the read started as the shard's end: byte 1200000 of a shard
        // cut to 1050000 bytes
        Path archive = tmp.resolve("t.barecat");
        try (TreeBuilder w = TreeBuilder.archive(archive)) {
            w.file("first", new byte[1_200_000]);
            w.file("last", new byte[100_000]); // too large to be read with its neighbours
        }
        Path shard = tmp.resolve("t.barecat-shard-00000");
        try (Archive a = Archive.open(archive)) {
            try (var ch = java.nio.channels.FileChannel.open(shard, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(1_050_000);
            }
            FileEntry last = (FileEntry) a.lookup("last").orElseThrow();
            java.io.EOFException e = assertThrows(java.io.EOFException.class,
                    () -> a.read(last, 0, ByteBuffer.allocate(1 << 20)));
            assertEquals(shard + ": shard ends at byte 1050000 (truncated since the archive was opened, at 1300000"
                    + " bytes; the read needs bytes 1200000 to 1300000)", e.getMessage());
        }
    }

    @Test
    void servesConcurrentReadersTheRightBytes() throws Exception {
        Path archive = tmp.resolve("c.barecat");
        int files = 200;
        try (TreeBuilder w = TreeBuilder.archive(archive, 4096)) {
            for (int i = 0; i < files; i++) {
                w.file("f/" + i, content(i));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Archive a = Archive.open(archive)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int k = 0; k < 500; k++) {
                        int i = (k * 31 + seed * 7) % files;
                        FileEntry f = (FileEntry) a.lookup("f/" + i).orElseThrow();
                        assertArrayEquals(content(i), readAll(a, f));
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> r : results) {
                assertEquals(500, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] content(int i) {
        byte[] b = new byte[(i * 37) % 1000];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (i * 13 + k);
        }
        return b;
    }

    @Test
    void aWholeFileReadAroundThePageCacheLandsWhereItsAlignmentPutsIt() throws IOException {
        Path file = tmp.resolve("direct.barecat");
        byte[] first = new byte[70_001];
        byte[] last = new byte[100_003];
        new java.util.Random(7).nextBytes(first);
        new java.util.Random(8).nextBytes(last);
        try (TreeBuilder w = TreeBuilder.archive(file)) {
            w.file("a", first);
            w.file("b", last); // ends the shard, in the middle of a block
        }
        ByteBuffer window = ByteBuffer.allocateDirect(200_000 + 3 * Archive.DIRECT_ALIGNMENT)
                .alignedSlice(Archive.DIRECT_ALIGNMENT);
        try (Archive archive = Archive.open(file)) {
            for (String name : List.of("a", "b")) {
                FileEntry f = (FileEntry) archive.lookup(name).orElseThrow();
                int start = archive.readWhole(f, window);
                org.junit.jupiter.api.Assumptions.assumeTrue(start >= 0, "a file system that takes direct I/O");
                assertEquals(f.location().offset() % Archive.DIRECT_ALIGNMENT, start);
                byte[] got = new byte[(int) f.size()];
                window.get(start, got);
                assertArrayEquals(name.equals("a") ? first : last, got, name);
            }
            FileEntry b = (FileEntry) archive.lookup("b").orElseThrow();
            try (java.nio.channels.FileChannel shard = java.nio.channels.FileChannel.open(
                    archive.files().shard(0), java.nio.file.StandardOpenOption.WRITE)) {
                shard.truncate(b.location().offset() + 10);
            }
            IOException e = assertThrows(IOException.class, () -> archive.readWhole(b, window));
            assertTrue(e.getMessage().contains("shard ends at byte " + (b.location().offset() + 10)), e.getMessage());
        }
    }

    @Test
    void aDirectoryListedByPathShowsItsChildrenOnlyInTheSameOrderAsWholeRows() throws IOException {
        Path file = tmp.resolve("bypath.barecat");
        try (TreeBuilder w = TreeBuilder.archive(file)) {
            for (int i = 0; i < 700; i++) { // rows of two directories in turn, as parallel writers leave them
                w.file(String.format("d/f%03d", i), new byte[0]);
                w.file(String.format("e/f%03d", i), new byte[0]);
                if (i % 7 == 0) {
                    w.file(String.format("d/s/g%03d", i), new byte[0]); // deeper: not d's child
                }
            }
        }
        try (Archive a = Archive.open(file)) {
            List<String> names = new ArrayList<>();
            a.listChildren("d").forEachRemaining(c -> names.add(c.path()));
            List<String> entries = new ArrayList<>();
            a.list("d").forEachRemaining(e -> entries.add(e.path()));
            assertEquals(701, names.size(), "700 files and one subdirectory, in pages of 512");
            assertEquals(names, entries, "the same children in the same order, by name or by row");
            assertTrue(names.contains("d/s") && names.contains("d/f699") && !names.contains("d/s/g000"));
            assertTrue(a.index().preparedSql().stream().anyMatch(q -> q.contains("WHERE path > ?")),
                    "listed by a range of paths");
        }
    }
}
