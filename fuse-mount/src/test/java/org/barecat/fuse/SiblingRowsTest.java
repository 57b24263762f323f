package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Errno;
import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * getattr of a directory's children one after another fetches the directory's rows once, and
 * answers for each child exactly what a lookup of that child alone answers.
 */
class SiblingRowsTest {
    private static final EntryDefaults DEFAULTS = new EntryDefaults(0, 0, 0);
    /** More children than one directory's fetch takes. */
    private static final int LARGE = 5_000;

    @RegisterExtension
    static final ClassResource<Archive> archive = new ClassResource<>(dir -> {
        Path file = dir.resolve("s.barecat");
        try (TreeBuilder w = TreeBuilder.archive(file)) {
            for (int i = 0; i < 60; i++) { // files with attributes of their own, and two subdirectories
                w.file("small/f" + i, new byte[i]).mode(0600 | (i % 2) << 5).owner(1000 + i, 2000 + i).mtimeNs(i * 1_000_000_007L);
            }
            w.file("small/sub/x", new byte[3]);
            w.dir("small/empty").mode(0700).mtimeNs(5L);
            w.file("other/g", new byte[1]);
            for (int i = 0; i < LARGE; i++) {
                w.file("large/f" + i, new byte[1]);
            }
        }
        return Archive.open(file);
    });

    private static ArchiveFilesystem newFs(Archive a) {
        return new ArchiveFilesystem(a, DEFAULTS, MountOptions.Overrides.NONE, new ArchiveFilesystem.Timeouts(1, 1, 0),
                false);
    }

    private static KernelDriver driver(ArchiveFilesystem fs) {
        return new KernelDriver(fs, Abi.MINOR, KernelDriver.CURRENT, false);
    }

    @Test
    void lookupsOfSiblingsInARowAnswerWhatLookingEachUpAloneAnswers() {
        ArchiveFilesystem fs = newFs(archive.get());
        KernelDriver kernel = driver(fs);
        List<String> paths = new ArrayList<>(List.of("small/sub", "small/empty", "small/nothing"));
        for (int i = 0; i < 60; i++) {
            paths.add("small/f" + i);
        }
        paths.add("small/sub/x");
        for (String path : paths) {
            assertEquals(describe(driver(newFs(archive.get())), path), describe(kernel, path), path);
        }
        assertTrue(fs.fetchedRowsOf("small"), "the directory's rows were fetched");
        assertEquals("error ENOENT", describe(kernel, "small/nothing"));
    }

    @Test
    void directoriesVisitedAtRandomOrTooLargeAreNotFetched() {
        ArchiveFilesystem fs = newFs(archive.get());
        KernelDriver kernel = driver(fs);
        long small = kernel.lookup(Abi.ROOT_ID, "small").node();
        long large = kernel.lookup(Abi.ROOT_ID, "large").node();
        kernel.lookup(Abi.ROOT_ID, "other");
        for (int i = 0; i < 10; i++) { // one miss in each directory in turn
            assertEquals(0, kernel.lookup(small, "f" + i).error());
            assertEquals(0, kernel.lookup(large, "f" + i).error());
        }
        assertFalse(fs.fetchedRowsOf("small"));
        assertFalse(fs.fetchedRowsOf("large"));
        for (int i = 10; i < 20; i++) { // misses in a row, in a directory of more children than a fetch takes
            assertEquals(0, kernel.lookup(large, "f" + i).error());
        }
        assertFalse(fs.fetchedRowsOf("large"));
        assertEquals(describe(driver(newFs(archive.get())), "large/f" + (LARGE - 1)), describe(kernel, "large/f" + (LARGE - 1)));
    }

    @Test
    void aPassOverTwentyThousandFilesLeavesThemAllCachedForTheNext(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("images.barecat");
        try (TreeBuilder w = TreeBuilder.archive(file)) { // an ImageNet-like tree, as bench/run.sh makes
            for (int i = 0; i < 20_000; i++) {
                w.file(String.format("c%03d/img%05d", i % 200, i), new byte[1]);
            }
        }
        try (Archive images = Archive.open(file)) {
            ArchiveFilesystem fs = newFs(images);
            KernelDriver kernel = driver(fs);
            long folder = 0;
            for (int i = 0; i < 20_000; i++) { // the order bench/run.sh's lstat takes: a folder after another
                if (i % 100 == 0) { // the kernel looks the folder up first
                    folder = kernel.lookup(Abi.ROOT_ID, String.format("c%03d", i / 100)).node();
                }
                int at = i % 100 * 200 + i / 100;
                assertEquals(0, kernel.lookup(folder, String.format("img%05d", at)).error());
            }
            for (int c = 0; c < 200; c++) { // the next pass finds every folder's rows still there
                assertTrue(fs.fetchedRowsOf(String.format("c%03d", c)), "rows of c" + c);
            }
        }
    }

    /** What a lookup of each component of {@code path} in turn answers for the last: its attributes, or its error. */
    private static String describe(KernelDriver kernel, String path) {
        long node = Abi.ROOT_ID;
        KernelDriver.Looked looked = null;
        for (String name : path.split("/")) {
            looked = kernel.lookup(node, name);
            if (looked.error() != 0) {
                return "error " + Errno.name(-looked.error());
            }
            node = looked.node();
        }
        return looked.attributes() + " getattr " + kernel.getattr(node);
    }
}
