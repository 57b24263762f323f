package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.Child;
import org.barecat.core.DirectoryListing;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListingCacheTest {
    @TempDir
    static Path tmp;
    static Path archivePath;

    /** A root with 3 directories of 10 files, one of 400 (in a subdirectory), and non-ASCII names. */
    @BeforeAll
    static void writeArchive() throws IOException {
        archivePath = tmp.resolve("l.barecat");
        try (TreeBuilder w = TreeBuilder.archive(archivePath)) {
            for (int d = 0; d < 3; d++) {
                for (int f = 0; f < 10; f++) {
                    w.file("d" + d + "/f" + f + ".jpg", new byte[] {(byte) f});
                }
            }
            for (int f = 0; f < 400; f++) {
                w.file("big/inner/file-with-a-longish-name-" + f, new byte[0]);
            }
            w.file("big/inner/deeper/x", new byte[0]);
            w.file("日本語/ファイル", new byte[1]);
            w.dir("empty");
        }
    }

    /** What readdir would list for {@code dir}, as "name kind inode" lines. */
    private static List<String> listed(Archive archive, String dir) throws IOException {
        List<String> out = new ArrayList<>();
        DirectoryListing<Child> listing = archive.listChildren(dir);
        for (Child c = listing.take(); c != null; c = listing.take()) {
            out.add(c.name() + " " + c.directory() + " " + Inodes.of(c.path()));
        }
        return out;
    }

    private static List<String> held(ListingCache.Listing l) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            out.add(new String(l.names(), l.start(i), l.end(i) - l.start(i), StandardCharsets.UTF_8) + " "
                    + l.directory(i) + " " + l.inode(i));
        }
        return out;
    }

    @Test
    void readingAheadHoldsEveryDirectoryAsTheIndexListsIt() throws IOException {
        try (Archive archive = Archive.open(archivePath)) {
            ListingCache cache = new ListingCache(ListingCache.DEFAULT_BUDGET);
            cache.readAhead(archive, () -> false);
            for (String dir : List.of("", "d0", "d1", "d2", "big", "big/inner", "big/inner/deeper", "日本語", "empty")) {
                ListingCache.Listing l = cache.get(dir);
                assertNotNull(l, dir);
                assertEquals(listed(archive, dir), held(l), dir);
            }
            assertNull(cache.get("d0/f0.jpg"));
            assertNull(cache.get("nope"));
        }
    }

    @Test
    void aListingTooLargeForItsShareOfTheBudgetIsNeverKeptNorIsItsSubtreeRead() throws IOException {
        try (Archive archive = Archive.open(archivePath)) {
            // 400 names of ~37 bytes and 4 bytes each besides: over a quarter of 32 KiB
            ListingCache cache = new ListingCache(32 * 1024);
            cache.readAhead(archive, () -> false);
            assertNotNull(cache.get("d1"));
            assertNull(cache.get("big/inner"));
            assertNull(cache.get("big/inner/deeper"), "the subtree of a listing not kept is not read ahead");
            ListingCache.Builder b = cache.builder(Inodes.state(new byte[0]));
            byte[] name = "x".repeat(200).getBytes(StandardCharsets.UTF_8);
            int added = 0;
            while (b.add(name, 0, false)) {
                added++;
            }
            assertTrue(added > 0 && added * 204L <= 8 * 1024, "kept to a quarter of the budget: " + added);
            assertFalse(b.keep("huge"), "a builder that gave up keeps nothing");
            assertNull(cache.get("huge"));
        }
    }

    @Test
    void theBudgetBoundsWhatIsKeptAltogether() {
        ListingCache cache = new ListingCache(4 * 1024);
        byte[] name = "n".repeat(50).getBytes(StandardCharsets.UTF_8);
        int kept = 0;
        for (int d = 0; d < 100; d++) {
            ListingCache.Builder b = cache.builder(Inodes.state(new byte[0]));
            for (int i = 0; i < 10; i++) {
                assertTrue(b.add(name, 0, i % 2 == 0));
            }
            if (b.keep("dir" + d)) {
                kept++;
            }
        }
        assertTrue(kept >= 4 && kept * (10 * 54L + 64) <= 4 * 1024, "kept " + kept);
        assertNotNull(cache.get("dir0"));
        assertNull(cache.get("dir99"));
    }
}
