package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveWriter;
import org.barecat.core.Attributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.struct.FileStat;

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

    @TempDir
    static Path tmp;
    static Archive archive;

    @BeforeAll
    static void writeArchive() throws IOException {
        Path file = tmp.resolve("s.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(file)) {
            for (int i = 0; i < 60; i++) { // files with attributes of their own, and two subdirectories
                w.add("small/f" + i, new byte[i], new Attributes(0600 | (i % 2) << 5, 1000 + i, 2000 + i, i * 1_000_000_007L));
            }
            w.add("small/sub/x", new byte[3], Attributes.NONE);
            w.addDirectory("small/empty", new Attributes(0700, null, null, 5L));
            w.add("other/g", new byte[1], Attributes.NONE);
            for (int i = 0; i < LARGE; i++) {
                w.add("large/f" + i, new byte[1], Attributes.NONE);
            }
        }
        archive = Archive.open(file);
    }

    @AfterAll
    static void close() throws IOException {
        archive.close();
    }

    @Test
    void statsOfSiblingsInARowAnswerWhatLookingEachUpAloneAnswers() {
        BarecatFs fs = new BarecatFs(archive, DEFAULTS);
        List<String> paths = new ArrayList<>(List.of("/small/sub", "/small/empty", "/small/nothing"));
        for (int i = 0; i < 60; i++) {
            paths.add("/small/f" + i);
        }
        paths.add("/small/sub/x");
        assertEquals(0, fs.getattr("/small", BarecatFs.newStat()));
        for (String path : paths) {
            assertEquals(describe(new BarecatFs(archive, DEFAULTS), path), describe(fs, path), path);
        }
        assertTrue(fs.fetchedRowsOf("small"), "the directory's rows were fetched");
        assertEquals(-ErrorCodes.ENOENT(), fs.getattr("/small/nothing", BarecatFs.newStat()));
    }

    @Test
    void directoriesVisitedAtRandomOrTooLargeAreNotFetched() {
        BarecatFs fs = new BarecatFs(archive, DEFAULTS);
        for (String dir : List.of("/small", "/other", "/large")) {
            assertEquals(0, fs.getattr(dir, BarecatFs.newStat()));
        }
        for (int i = 0; i < 10; i++) { // one miss in each directory in turn
            assertEquals(0, fs.getattr("/small/f" + i, BarecatFs.newStat()));
            assertEquals(0, fs.getattr("/large/f" + i, BarecatFs.newStat()));
        }
        assertFalse(fs.fetchedRowsOf("small"));
        assertFalse(fs.fetchedRowsOf("large"));
        for (int i = 10; i < 20; i++) { // misses in a row, in a directory of more children than a fetch takes
            assertEquals(0, fs.getattr("/large/f" + i, BarecatFs.newStat()));
        }
        assertFalse(fs.fetchedRowsOf("large"));
        assertEquals(describe(new BarecatFs(archive, DEFAULTS), "/large/f" + (LARGE - 1)),
                describe(fs, "/large/f" + (LARGE - 1)));
    }

    @Test
    void aPassOverTwentyThousandFilesLeavesThemAllCachedForTheNext(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("images.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(file)) { // an ImageNet-like tree, as bench/run.sh makes
            for (int i = 0; i < 20_000; i++) {
                w.add(String.format("c%03d/img%05d", i % 200, i), new byte[1], Attributes.NONE);
            }
        }
        try (Archive images = Archive.open(file)) {
            BarecatFs fs = new BarecatFs(images, DEFAULTS);
            for (int i = 0; i < 20_000; i++) { // the order bench/run.sh's lstat takes: a folder after another
                if (i % 100 == 0) { // the kernel looks the folder up first
                    assertEquals(0, fs.getattr(String.format("/c%03d", i / 100), BarecatFs.newStat()));
                }
                int at = i % 100 * 200 + i / 100;
                assertEquals(0, fs.getattr(String.format("/c%03d/img%05d", at % 200, at), BarecatFs.newStat()));
            }
            for (int c = 0; c < 200; c++) { // the next pass finds every folder's rows still there
                assertTrue(fs.fetchedRowsOf(String.format("c%03d", c)), "rows of c" + c);
            }
        }
    }

    /** getattr's answer and the fields it filled. */
    private static String describe(BarecatFs fs, String path) {
        FileStat s = BarecatFs.newStat();
        int rc = fs.getattr(path, s);
        return rc + " ino=" + s.st_ino.longValue() + " mode=" + Integer.toOctalString(s.st_mode.intValue())
                + " uid=" + s.st_uid.longValue() + " gid=" + s.st_gid.longValue() + " size=" + s.st_size.longValue()
                + " nlink=" + s.st_nlink.longValue() + " mtime=" + s.st_mtim.tv_sec.longValue() + "." + s.st_mtim.tv_nsec.longValue();
    }
}
