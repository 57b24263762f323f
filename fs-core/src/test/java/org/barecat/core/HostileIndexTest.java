package org.barecat.core;

import org.barecat.testing.RawIndexes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.barecat.testing.Bytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Indexes written by hand, bypassing our writer, with rows no honest writer makes. Each bad row
 * must fail only its own file, with a message naming it, while the good file beside it reads right;
 * problems that make the whole archive untrustworthy fail {@link Archive#open} with one line.
 */
class HostileIndexTest {
    private static final byte[] SHARD = bytes("0123456789abcdef");

    @TempDir
    Path tmp;

    /** An archive of one 16-byte shard, a good file {@code good} (bytes 2..6) and the given bad rows. */
    private Path archive(boolean uniquePaths, Row... rows) throws Exception {
        Path index = tmp.resolve("h.barecat");
        Files.write(tmp.resolve("h.barecat-shard-00000"), SHARD);
        try (Connection c = RawIndexes.looseIndex(index, uniquePaths)) {
            RawIndexes.insertRawFile(c, "good", 0L, 2L, 5L);
            for (Row r : rows) {
                RawIndexes.insertRawFile(c, r.path, r.shard, r.offset, r.size);
            }
        }
        return index;
    }

    private record Row(String path, Object shard, Object offset, Object size) {
    }

    private static byte[] readAll(Archive a, FileEntry f) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, f.size()) + 8);
        int n = a.read(f, 0, buf);
        return java.util.Arrays.copyOf(buf.array(), n);
    }

    private static void assertGoodFileStillReads(Archive a) throws IOException {
        assertArrayEquals(bytes("23456"), readAll(a, (FileEntry) a.lookup("good").orElseThrow()));
    }

    /** The file is found, but checking or reading it fails with a message that starts with its path. */
    private static void assertUnreadable(Archive a, String path, String problem) throws IOException {
        FileEntry f = (FileEntry) a.lookup(path).orElseThrow();
        IOException checked = assertThrows(IOException.class, () -> a.checkLocation(f));
        assertTrue(checked.getMessage().startsWith(path + ": ") && checked.getMessage().contains(problem),
                checked.getMessage());
        IOException read = assertThrows(IOException.class, () -> a.read(f, 0, ByteBuffer.allocate(64)));
        assertEquals(checked.getMessage(), read.getMessage());
    }

    /** A bad row and what checking or reading its file must say; {@code {shard}} stands for the shard's path. */
    private record Bad(Row row, String problem) {
        Bad(String path, Object shard, Object offset, Object size, String problem) {
            this(new Row(path, shard, offset, size), problem);
        }
    }

    static Stream<Arguments> badLocations() {
        return Stream.of(
                arguments("negative offset, size or shard", List.of(
                        new Bad("neg-offset", 0L, -1L, 3L, "invalid location in the index (shard 0, offset -1, size 3)"),
                        new Bad("neg-size", 0L, 0L, -5L, "invalid location in the index (shard 0, offset 0, size -5)"),
                        new Bad("neg-shard", -1L, 0L, 3L, "invalid location in the index (shard -1, offset 0, size 3)"))),
                arguments("a location that overflows or runs past the shard", List.of(
                        new Bad("overflow", 0L, Long.MAX_VALUE - 2, 10L, "invalid location in the index"),
                        new Bad("past-end", 0L, 10L, 7L, "bytes 10 to 17 lie past the end of {shard} (16 bytes)"))),
                // sqlite3_column_int64 would read each of these as a small number and serve some other file's bytes
                arguments("location columns holding text, blobs, reals or NULL", List.of(
                        new Bad("text-offset", 0L, "7abc", 3L, "offset not an integer"),
                        new Bad("real-offset", 0L, 1.5, 3L, "offset not an integer"),
                        new Bad("blob-offset", 0L, new byte[] {1}, 3L, "offset not an integer"),
                        new Bad("null-size", 0L, 0L, null, "size not an integer"),
                        new Bad("text-shard", "zero", 0L, 3L, "shard not an integer"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLocations")
    void aBadLocationFailsOnlyThatFile(String what, List<Bad> bad) throws Exception {
        try (Archive a = Archive.open(archive(true, bad.stream().map(Bad::row).toArray(Row[]::new)))) {
            for (Bad b : bad) {
                assertUnreadable(a, b.row().path(),
                        b.problem().replace("{shard}", tmp.resolve("h.barecat-shard-00000").toString()));
            }
            assertGoodFileStillReads(a);
        }
    }

    @Test
    void anEmptyFileAtTheShardsEndReads() throws Exception {
        try (Archive a = Archive.open(archive(true, new Row("at-end", 0L, 16L, 0L)))) {
            assertEquals(0, readAll(a, (FileEntry) a.lookup("at-end").orElseThrow()).length);
            assertGoodFileStillReads(a);
        }
    }

    @Test
    void attributesAndChecksumsComeThroughAtTheirExtremesAndAsSqliteConvertsOtherTypes() throws Exception {
        Path index = archive(true, new Row("extreme", 0L, 0L, 3L), new Row("other-types", 0L, 0L, 3L),
                new Row("nulls", 0L, 0L, 3L));
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + index);
             java.sql.PreparedStatement s = c.prepareStatement(
                     "UPDATE files SET crc32c = ?, mode = ?, uid = ?, gid = ?, mtime_ns = ? WHERE path = ?")) {
            Object[][] values = {
                    {4294967295L, 0107777L, 0L, 4294967294L, Long.MIN_VALUE, "extreme"},
                    {"12abc", 420.9, "7", new byte[] {'9'}, Long.MAX_VALUE, "other-types"},
                    {null, null, null, null, null, "nulls"}};
            for (Object[] row : values) {
                for (int i = 0; i < row.length; i++) {
                    s.setObject(i + 1, row[i]);
                }
                s.executeUpdate();
            }
        }
        try (Archive a = Archive.open(index)) {
            FileEntry extreme = (FileEntry) a.lookup("extreme").orElseThrow();
            assertEquals(4294967295L, extreme.crc32c());
            assertEquals(new Attributes(0107777, 0, (int) 4294967294L, Long.MIN_VALUE), extreme.attributes());
            FileEntry other = (FileEntry) a.lookup("other-types").orElseThrow();
            assertEquals(12L, other.crc32c(), "text as sqlite3_column_int64 reads it");
            assertEquals(new Attributes(420, 7, 9, Long.MAX_VALUE), other.attributes());
            FileEntry nulls = (FileEntry) a.lookup("nulls").orElseThrow();
            assertEquals(null, nulls.crc32c());
            assertEquals(Attributes.NONE, nulls.attributes());
            List<Entry> listed = new ArrayList<>();
            a.list("").forEachRemaining(listed::add);
            assertTrue(listed.containsAll(List.of(extreme, other, nulls)), "a listing reads rows as a lookup does");
        }
    }

    @Test
    void shardNumberBeyondTheIntRangeIsAMissingShardNotShardZero() throws Exception {
        // read as a 32-bit int, 2^32 is 0: the row would serve the good file's shard
        Path index = archive(true, new Row("alias", 1L << 32, 2L, 5L));
        IOException e = assertThrows(ArchiveFormatException.class, () -> Archive.open(index));
        assertEquals(tmp.resolve("h.barecat-shard-00001") + ": missing shard (the index has files up to shard 4294967296)",
                e.getMessage());
    }

    @Test
    void shardNumberWithNoShardFileFailsTheOpenNamingTheFirstMissingShard() throws Exception {
        Path index = archive(true, new Row("far", 7L, 0L, 1L));
        IOException gap = assertThrows(ArchiveFormatException.class, () -> Archive.open(index));
        assertEquals(tmp.resolve("h.barecat-shard-00001") + ": missing shard (the index has files up to shard 7)",
                gap.getMessage());
        Files.write(tmp.resolve("h.barecat-shard-00001"), new byte[0]);
        for (int i = 2; i < 7; i++) {
            Files.write(tmp.resolve(String.format("h.barecat-shard-%05d", i)), new byte[0]);
        }
        IOException last = assertThrows(ArchiveFormatException.class, () -> Archive.open(index));
        assertEquals(tmp.resolve("h.barecat-shard-00007") + ": missing shard (the index has files in it)",
                last.getMessage());
    }

    @Test
    void duplicatePathsFailTheOpenWithOneLine() throws Exception {
        Path files = archive(false, new Row("dup/x", 0L, 0L, 1L), new Row("dup/x", 0L, 5L, 1L));
        IOException e = assertThrows(ArchiveFormatException.class, () -> Archive.open(files));
        assertEquals(files + ": duplicate path 'dup/x' (2 rows in table files)", e.getMessage());

        Files.delete(files);
        Path dirs = archive(false);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dirs);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO dirs (path) VALUES ('d'), ('d'), ('d')");
        }
        IOException d = assertThrows(ArchiveFormatException.class, () -> Archive.open(dirs));
        assertEquals(dirs + ": duplicate path 'd' (3 rows in table dirs)", d.getMessage());
    }

    @Test
    void pathThatIsBothFileAndDirectoryIsListedOnceAsTheFile() throws Exception {
        Path index = archive(true, new Row("both", 0L, 10L, 3L), new Row("implicit", 0L, 0L, 1L),
                new Row("implicit/child", 0L, 0L, 1L));
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + index);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO dirs (path) VALUES (''), ('both')");
        }
        try (Archive a = Archive.open(index)) {
            assertEquals(Map.of("good", "file", "both", "file", "implicit", "file"), kinds(a, ""));
            assertArrayEquals(bytes("abc"), readAll(a, (FileEntry) a.lookup("both").orElseThrow()));
            assertInstanceOf(FileEntry.class, a.lookup("implicit").orElseThrow());
        }
    }

    @Test
    void namesNoPosixFileSystemCanShowAreNeverListed() throws Exception {
        String tooLong = "n".repeat(256);
        Path index = archive(true, new Row("", 0L, 0L, 1L), new Row(".", 0L, 0L, 1L), new Row("/abs", 0L, 0L, 1L),
                new Row("/", 0L, 0L, 1L), new Row("d/./x", 0L, 0L, 1L), new Row("d/../../etc/passwd", 0L, 0L, 1L),
                new Row("d//x", 0L, 0L, 1L), new Row("d/x/", 0L, 0L, 1L), new Row("d/nul\0byte", 0L, 0L, 1L),
                new Row("d/" + tooLong, 0L, 0L, 1L), new Row(tooLong + "/under", 0L, 0L, 1L), new Row("d/ok", 0L, 0L, 1L));
        try (Archive a = Archive.open(index)) {
            assertEquals(Map.of("good", "file", "d", "dir"), kinds(a, ""));
            assertInstanceOf(DirEntry.class, a.lookup("").orElseThrow(), "the root, whatever a files row says");
            // "d/x/" names a file with an empty name in directory d/x: the file never shows, its directory does
            assertEquals(Map.of("ok", "file", "x", "dir"), kinds(a, "d"));
            assertEquals(Map.of(), kinds(a, "d/x"));
            assertGoodFileStillReads(a);
        }
    }

    @Test
    void dirsRowWithNoFilesIsAnEmptyDirectoryWhateverItsStatisticsClaim() throws Exception {
        Path index = archive(true);
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + index);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO dirs (path, num_subdirs, num_files, num_files_tree, size_tree)"
                    + " VALUES ('ghost', 5, 1000, -3, 9223372036854775807), ('ghost/deeper', NULL, 'x', NULL, NULL)");
        }
        try (Archive a = Archive.open(index)) {
            assertEquals(Map.of("good", "file", "ghost", "dir"), kinds(a, ""));
            assertEquals(Map.of("deeper", "dir"), kinds(a, "ghost"));
            assertEquals(Map.of(), kinds(a, "ghost/deeper"));
        }
    }

    /** Names and kinds of a directory's children; fails if a name is listed twice. */
    private static Map<String, String> kinds(Archive a, String dir) {
        Map<String, String> out = new TreeMap<>();
        List<String> names = new ArrayList<>();
        a.list(dir).forEachRemaining(e -> {
            names.add(e.name());
            out.put(e.name(), e instanceof FileEntry ? "file" : "dir");
        });
        assertEquals(out.size(), names.size(), "a name listed twice: " + names);
        Map<String, String> children = new TreeMap<>(); // the name-and-kind listing readdir uses agrees
        a.listChildren(dir).forEachRemaining(c -> children.put(c.name(), c.directory() ? "dir" : "file"));
        assertEquals(out, children);
        return out;
    }

    @Test
    void namesThatAreNotUtf8AreListedAsADecoderReplacesThem() throws Exception {
        Path index = archive(true, new Row("d/ok", 0L, 0L, 1L));
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + index);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO files (path, shard, offset, size) VALUES (CAST(X'642f61ff62' AS TEXT), 0, 0, 1),"
                    + " (CAST(X'642fc3a9' AS TEXT), 0, 0, 1)"); // d/a<0xff>b, and d/é in well-formed UTF-8
        }
        try (Archive a = Archive.open(index)) {
            assertEquals(Map.of("ok", "file", "a\uFFFDb", "file", "\u00e9", "file"), kinds(a, "d"));
        }
    }
}
