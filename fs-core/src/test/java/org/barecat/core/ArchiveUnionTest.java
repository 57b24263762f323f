package org.barecat.core;

import org.barecat.testing.RawIndexes;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.barecat.testing.Bytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveUnionTest {
    @TempDir
    Path tmp;

    /** a: a file where b has a directory; b: two shards; c: last, so its same.txt wins. */
    private List<Archive> openThree() throws IOException {
        Path a = TreeBuilder.archive(tmp.resolve("a.barecat"))
                .file("common/a.txt", bytes("from a"))
                .file("common/same.txt", bytes("same in a"))
                .file("only-a/x", bytes("x"))
                .file("clash", bytes("a file in a"))
                .build();
        Path b = TreeBuilder.archive(tmp.resolve("b.barecat"), 16)
                .file("common/b.txt", bytes("from b, in shard 0"))
                .file("common/same.txt", bytes("same in b, shard 1"))
                .file("clash/inner", bytes("below the clash"))
                .dir("common").mode(0700)
                .build();
        Path c = TreeBuilder.archive(tmp.resolve("c.barecat"))
                .file("common/same.txt", bytes("same in c"))
                .build();
        return List.of(Archive.open(a), Archive.open(b), Archive.open(c));
    }

    private static String read(ArchiveView view, FileEntry f) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) f.size());
        assertEquals(f.size(), view.read(f, 0, buf));
        return new String(buf.array(), StandardCharsets.UTF_8);
    }

    private static String text(ArchiveView view, String path) throws IOException {
        return read(view, (FileEntry) view.lookup(path).orElseThrow());
    }

    /** The listing of {@code dir}, by name: "d" for a directory, else the file's text; each name once. */
    private static Map<String, String> tree(ArchiveView view, String dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Listing<Entry> l = view.list(dir);
        for (Entry e = l.take(); e != null; e = l.take()) {
            String was = out.put(e.name(), e instanceof FileEntry f ? read(view, f) : "d");
            assertEquals(null, was, e.path() + " listed twice");
        }
        List<String> children = new ArrayList<>();
        Listing<Child> names = view.listChildren(dir);
        for (Child c = names.take(); c != null; c = names.take()) {
            children.add(c.name() + (c.directory() ? "/" : ""));
        }
        List<String> expected = new ArrayList<>();
        out.forEach((name, v) -> expected.add(name + (v.equals("d") ? "/" : "")));
        assertEquals(expected.stream().sorted().toList(), children.stream().sorted().toList());
        return out;
    }

    @Test
    void mergesDirectoriesAndTheLastNamedArchiveWinsAPath() throws IOException {
        try (ArchiveUnion u = ArchiveUnion.merged(openThree())) {
            assertEquals(Map.of("common", "d", "only-a", "d", "clash", "d"), tree(u, ""));
            assertEquals(Map.of("a.txt", "from a", "b.txt", "from b, in shard 0", "same.txt", "same in c"),
                    tree(u, "common"));
            assertEquals(Map.of("inner", "below the clash"), tree(u, "clash"));
            assertEquals("same in c", text(u, "common/same.txt"));
            // lookups one after another in a directory: from the second on, found through one listing of it
            for (int round = 0; round < 2; round++) {
                assertEquals("from a", text(u, "common/a.txt"));
                assertEquals("same in c", text(u, "common/same.txt"));
                assertTrue(u.lookup("common/nothing").isEmpty());
                assertEquals("from b, in shard 0", text(u, "common/b.txt"));
            }
            assertInstanceOf(DirEntry.class, u.lookup("clash").orElseThrow());
            assertTrue(u.lookup("common/nothing").isEmpty());
            List<String> dirs = new ArrayList<>();
            u.listDirectories("").forEachRemaining(e -> dirs.add(e.name()));
            assertEquals(List.of("clash", "common", "only-a"), dirs.stream().sorted().toList());
        }
    }

    @Test
    void routesReadsRowsChecksumsAndOriginsToTheArchiveThatHoldsTheFile() throws IOException {
        List<Archive> three = openThree();
        try (ArchiveUnion u = ArchiveUnion.merged(three)) {
            Listing<Entry> l = u.list("common");
            for (Entry e = l.take(); e != null; e = l.take()) {
                FileEntry f = (FileEntry) e;
                assertEquals(f, u.file(f.row()).orElseThrow());
                assertEquals(f.crc32c(), u.checksum(f));
                u.checkLocation(f);
            }
            FileEntry b = (FileEntry) u.lookup("common/b.txt").orElseThrow();
            ArchiveView.Origin origin = u.origin(b);
            assertSame(three.get(1), origin.archive());
            FileEntry inB = (FileEntry) three.get(1).lookup("common/b.txt").orElseThrow();
            assertEquals(inB.location(), origin.location());
            assertEquals(three.get(0).stats().shardCount() + inB.location().shard(), b.location().shard());
            ArchiveStats s = u.stats();
            assertEquals(4 + 3 + 1, s.fileCount());
            assertEquals(1 + 3 + 1, s.shardCount());
        }
    }

    /** Past the names a listing keeps, children are looked for in each later archive: still each name once, the last archive's. */
    @Test
    void listsAndLooksUpADirectoryLargerThanTheNamesKept() throws IOException {
        List<Archive> two = new ArrayList<>();
        for (String side : List.of("a", "b")) {
            // b, listed first, gives more names than are kept
            int own = side.equals("a") ? 100 : ArchiveUnion.LISTED_NAMES_LIMIT + 100;
            try (TreeBuilder t = TreeBuilder.archive(tmp.resolve(side + ".barecat"))) {
                for (int i = 0; i < own; i++) {
                    t.file("big/" + side + i, bytes(side));
                }
                for (int i = 0; i < 50; i++) {
                    t.file("big/shared" + i, bytes(side));
                }
            }
            two.add(Archive.open(tmp.resolve(side + ".barecat")));
        }
        try (ArchiveUnion u = ArchiveUnion.merged(two)) {
            Map<String, String> big = tree(u, "big");
            assertEquals(100 + ArchiveUnion.LISTED_NAMES_LIMIT + 100 + 50, big.size());
            assertEquals("b", big.get("shared7"));
            assertEquals("a", big.get("a99"));
            for (String name : List.of("a1", "b2", "shared3", "a99", "nothing")) {
                Optional<Entry> e = u.lookup("big/" + name);
                assertEquals(name.equals("nothing") ? null : name.startsWith("a") ? "a" : "b",
                        e.isEmpty() ? null : read(u, (FileEntry) e.get()), name);
            }
        }
    }

    @Test
    void showsEachArchiveUnderItsOwnNameWithSubdirs() throws IOException {
        try (ArchiveUnion u = ArchiveUnion.subdirs(openThree())) {
            assertEquals(Map.of("a", "d", "b", "d", "c", "d"), tree(u, ""));
            assertEquals(Map.of("a.txt", "from a", "same.txt", "same in a"), tree(u, "a/common"));
            assertEquals("same in b, shard 1", text(u, "b/common/same.txt"));
            assertEquals(Map.of("same.txt", "same in c"), tree(u, "c/common"));
            DirEntry b = (DirEntry) u.lookup("b").orElseThrow();
            assertEquals(3, b.stats().numFilesTree());
            assertEquals(0700, ((DirEntry) u.lookup("b/common").orElseThrow()).attributes().mode());
            assertTrue(u.lookup("d").isEmpty());
            FileEntry f = (FileEntry) u.lookup("a/clash").orElseThrow();
            assertEquals(f, u.file(f.row()).orElseThrow());
        }
    }

    @Test
    void refusesTwoArchivesOfTheSameNameWithSubdirs() throws IOException {
        Path one = TreeBuilder.archive(Files.createDirectory(tmp.resolve("1")).resolve("data.barecat"))
                .file("f", bytes("1")).build();
        Path two = TreeBuilder.archive(Files.createDirectory(tmp.resolve("2")).resolve("data.barecat"))
                .file("f", bytes("2")).build();
        List<Archive> both = List.of(Archive.open(one), Archive.open(two));
        try {
            IOException e = assertThrows(IOException.class, () -> ArchiveUnion.subdirs(both));
            assertEquals(tmp.resolve("2/data.barecat") + ": would be shown as data/, as "
                    + tmp.resolve("1/data.barecat") + " is", e.getMessage());
        } finally {
            for (Archive a : both) {
                a.close();
            }
        }
        assertEquals("train", ArchiveUnion.subdirName("s3://bucket/sets/train.barecat"));
        assertEquals("old", ArchiveUnion.subdirName("/d/old.barecat-sqlite-index"));
    }

    @Test
    void findsTheFirstPathTwoArchivesHaveNotBothAsDirectories() throws IOException {
        List<Archive> three = openThree();
        try (ArchiveUnion u = ArchiveUnion.merged(three)) {
            ArchiveUnion.Conflict c = ArchiveUnion.firstConflict(three).orElseThrow();
            assertEquals("clash", c.path());
            assertSame(three.get(0), c.first());
            assertSame(three.get(1), c.second());
            assertEquals("common/same.txt",
                    ArchiveUnion.firstConflict(List.of(three.get(1), three.get(2))).orElseThrow().path());
            assertTrue(ArchiveUnion.firstConflict(List.of(three.get(0), three.get(2))).isPresent());
        }
    }

    @Test
    void takesAnArchiveOfThe02LayoutWhoseDirectoriesHaveNoRows() throws Exception {
        Path index = tmp.resolve("old.barecat-sqlite-index");
        Files.write(tmp.resolve("old.barecat-shard-00000"), bytes("xxHELLOyyWORLD"));
        try (Connection c = RawIndexes.legacyIndex(index)) {
            RawIndexes.insertFile(c, "x/deep/a.txt", 0, 2, 5); // x and x/deep have no dirs rows
            RawIndexes.insertFile(c, "x/b.txt", 0, 9, 5);
        }
        Path fresh = TreeBuilder.archive(tmp.resolve("new.barecat"))
                .file("x/deep-er", bytes("sorts between x/deep and x/deep/"))
                .file("x/b.txt", bytes("newer"))
                .build();
        Path fileOverDir = TreeBuilder.archive(tmp.resolve("over.barecat"))
                .file("x/deep", bytes("a file where old has a directory without a row"))
                .build();
        List<Archive> members = List.of(Archive.open(tmp.resolve("old.barecat")), Archive.open(fresh),
                Archive.open(fileOverDir));
        try (ArchiveUnion u = ArchiveUnion.merged(members.subList(0, 2))) {
            assertEquals(Map.of("deep", "d", "deep-er", "sorts between x/deep and x/deep/", "b.txt", "newer"),
                    tree(u, "x"));
            FileEntry a = (FileEntry) u.lookup("x/deep/a.txt").orElseThrow();
            assertEquals(FileEntry.NO_ROW, a.row());
            assertEquals("HELLO", read(u, a));
            assertSame(members.get(0), u.origin(a).archive());
            assertTrue(ArchiveUnion.firstConflict(members.subList(0, 2)).map(Object::toString).orElse("")
                    .contains("x/b.txt"));
            ArchiveUnion.Conflict c = ArchiveUnion.firstConflict(List.of(members.get(0), members.get(2)))
                    .orElseThrow();
            assertEquals("x/deep", c.path());
            assertSame(members.get(0), c.first());
        } finally {
            members.get(2).close();
        }
    }

    /** Every path a scan gives, resumed after each one in turn: the same paths every way. */
    private static List<String> scanned(ArchiveView view, String dir) throws IOException {
        List<String> all = new ArrayList<>();
        EntryScan scan = view.scanBelow(dir, null);
        for (Entry e = scan.next(); e != null; e = scan.next()) {
            all.add(e.path() + (e instanceof FileEntry f ? "=" + read(view, f) : "/"));
        }
        for (int i = 0; i < all.size(); i++) {
            String after = all.get(i).endsWith("/") ? all.get(i).substring(0, all.get(i).length() - 1)
                    : all.get(i).substring(0, all.get(i).indexOf('='));
            List<String> rest = new ArrayList<>();
            EntryScan resumed = view.scanBelow(dir, after);
            for (Entry e = resumed.next(); e != null; e = resumed.next()) {
                rest.add(e.path() + (e instanceof FileEntry f ? "=" + read(view, f) : "/"));
            }
            assertEquals(all.subList(i + 1, all.size()), rest, "resumed after " + after);
        }
        return all;
    }

    @Test
    void scansGiveEachPathOnceInPathOrderTheLastArchivesEntryAndResumeAfterAnyPath() throws IOException {
        try (ArchiveUnion u = ArchiveUnion.merged(openThree())) {
            assertEquals(List.of("clash/", "clash/inner=below the clash", "common/", "common/a.txt=from a",
                    "common/b.txt=from b, in shard 0", "common/same.txt=same in c", "only-a/", "only-a/x=x"),
                    scanned(u, ""));
            assertEquals(List.of("common/a.txt=from a", "common/b.txt=from b, in shard 0", "common/same.txt=same in c"),
                    scanned(u, "common"));
        }
    }

    @Test
    void underSubdirsAScanGoesArchiveByArchiveAndResumesAfterAnyPath() throws IOException {
        try (ArchiveUnion u = ArchiveUnion.subdirs(openThree())) {
            List<String> all = scanned(u, "");
            assertEquals("a/", all.get(0));
            assertTrue(all.contains("b/common/same.txt=same in b, shard 1"), all.toString());
            assertTrue(all.contains("c/common/same.txt=same in c"), all.toString());
            assertEquals(List.of("b/clash/", "b/clash/inner=below the clash", "b/common/",
                    "b/common/b.txt=from b, in shard 0", "b/common/same.txt=same in b, shard 1"), scanned(u, "b"));
        }
    }

    @Test
    void aListingSkipsPastANameItHasAndSaysWhenItHasNone() throws IOException {
        try (ArchiveUnion u = ArchiveUnion.merged(openThree())) {
            List<String> names = new ArrayList<>();
            Listing<Entry> all = u.list("common");
            for (Entry e = all.take(); e != null; e = all.take()) {
                names.add(e.name());
            }
            for (int i = 0; i < names.size(); i++) {
                Listing<Entry> l = u.list("common");
                assertTrue(l.skipPast(names.get(i)), names.get(i));
                List<String> rest = new ArrayList<>();
                for (Entry e = l.take(); e != null; e = l.take()) {
                    rest.add(e.name());
                }
                assertEquals(names.subList(i + 1, names.size()), rest, "after " + names.get(i));
            }
            assertEquals(false, u.list("common").skipPast("nothing-of-that-name"));
        }
    }
}
