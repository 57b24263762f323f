package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.jline.keymap.KeyMap;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** browse's and ncdu's views without a terminal: the lines they draw, and where keys take them. */
class TuiScreensTest {
    @RegisterExtension
    static final ClassResource<Archive> archive = new ClassResource<>(dir -> {
        TreeBuilder tree = TreeBuilder.archive(dir.resolve("t.barecat"))
                .file("docs/readme.txt", "hello\tworld\nsecond line\n")
                .file("docs/sub/s.txt", "s\n")
                .file("data/blob.bin", new byte[5000])
                .file("data/big.txt", "x".repeat(3000))
                .file("top.txt", "tiny\n")
                .file("empty.txt", "");
        for (int i = 0; i < 12; i++) {
            tree.file(String.format("many/f%02d", i), "y".repeat(i));
        }
        return Archive.open(tree.build());
    });

    private static List<String> text(List<AttributedString> lines) {
        List<String> out = new ArrayList<>();
        for (AttributedString l : lines) {
            out.add(l.toString().stripTrailing());
        }
        return out;
    }

    @Test
    void sizesAndCountsAreTheOriginals() {
        assertEquals("0 B", Formats.browseSize(0));
        assertEquals("1023 B", Formats.browseSize(1023));
        assertEquals("1.0 KB", Formats.browseSize(1024));
        assertEquals("2.2 KB", Formats.browseSize(2304), "2.25 rounds half to even, as Python's");
        assertEquals("2.8 KB", Formats.browseSize(2816));
        assertEquals("1.0 MB", Formats.browseSize(1L << 20));
        assertEquals("1.0 TB", Formats.browseSize(1L << 40));
        assertEquals("1024.0 TB", Formats.browseSize(1L << 50));

        assertEquals("    0 B", Formats.ncduSize(0));
        assertEquals(" 1023 B", Formats.ncduSize(1023));
        assertEquals("  1.0 KiB", Formats.ncduSize(1024));
        assertEquals("  2.2 KiB", Formats.ncduSize(2304));
        assertEquals("999.0 KiB", Formats.ncduSize(999 * 1024));
        assertEquals("  1.0 MiB", Formats.ncduSize(1000 * 1024), "1000 KiB is past 999.9: the next unit");
        assertEquals("  1.0 PiB", Formats.ncduSize(1L << 50));
        assertEquals("8192.0 EiB", Formats.ncduSize(Long.MAX_VALUE), "the original's: PiB counted as EiB");

        assertEquals("      ", Formats.ncduCount(0));
        assertEquals("   999", Formats.ncduCount(999));
        assertEquals("  1.0K", Formats.ncduCount(1000));
        assertEquals("  2.2M", Formats.ncduCount(2_250_000));
        assertEquals("1000.0K", Formats.ncduCount(999_999), "as the original: the value is rounded after the test");
    }

    @Test
    void ncduDrawsTheOriginalsColumnsLargestFirstWithHeaderAndFooter() throws IOException {
        NcduScreen ncdu = new NcduScreen(archive.get(), "t.barecat");
        List<String> lines = text(ncdu.render(10, 80));
        assertEquals(List.of(
                "--- t.barecat: / " + "-".repeat(62),
                "        Size  Files                        Name",
                "  7.8 KiB        2 [################### ]  /data",
                "   66 B         12 [                    ]  /many",
                "   26 B          2 [                    ]  /docs",
                "    5 B          1 [                    ]    top.txt",
                "    0 B          1 [                    ]    empty.txt",
                "",
                "",
                " Total:   7.9 KiB | 18 files | q:quit  h/<-:back  l/->:enter  j/k:move"), lines);
        assertTrue(ncdu.render(10, 80).get(2).styleAt(0).equals(org.jline.utils.AttributedStyle.INVERSE),
                "the cursor's row is in reverse video");

        ncdu.handle(TuiKey.DOWN);
        ncdu.handle(TuiKey.ENTER);
        assertEquals("many", ncdu.cwd());
        lines = text(ncdu.render(10, 80));
        assertEquals("--- t.barecat: many " + "-".repeat(59), lines.get(0));
        assertEquals("                                           /..", lines.get(2));
        assertEquals("   11 B          1 [###                 ]    f11", lines.get(3));
        assertEquals(" Total:    66 B | 12 files | q:quit  h/<-:back  l/->:enter  j/k:move", lines.get(9));

        // 6 rows fit: the view scrolls with the cursor
        ncdu.handle(TuiKey.PAGE_DOWN);
        assertEquals(10, ncdu.cursor());
        lines = text(ncdu.render(10, 80));
        assertTrue(lines.get(7).endsWith("  f02"), lines.toString());
        ncdu.handle(TuiKey.BOTTOM);
        assertEquals(12, ncdu.cursor(), "/.. and 12 files");
        ncdu.handle(TuiKey.DOWN);
        assertEquals(12, ncdu.cursor(), "no row past the last");
        ncdu.handle(TuiKey.TOP);
        ncdu.handle(TuiKey.ENTER); // on /..
        assertEquals("", ncdu.cwd());
        assertEquals(1, ncdu.cursor(), "back on the directory it came from");
        ncdu.handle(TuiKey.BACK);
        assertEquals("", ncdu.cwd(), "h at the root stays");
        assertFalse(ncdu.handle(TuiKey.QUIT));
    }

    @Test
    void browseDrawsParentListingAndPreviewOverTheStatusLine() throws IOException {
        BrowseScreen browse = new BrowseScreen(archive.get());
        List<String> lines = text(browse.render(8, 80));
        assertEquals(List.of(
                row("", "data/", "big.txt"),
                row("", "docs/", "blob.bin"),
                row("", "many/", ""),
                row("", "empty.txt", ""),
                row("", "top.txt", ""),
                row("", "", ""),
                row("", "", ""),
                " / | 5 items | q:quit h/l:nav j/k:move"), lines);

        browse.handle(TuiKey.DOWN);
        browse.handle(TuiKey.ENTER);
        assertEquals("docs", browse.cwd());
        browse.handle(TuiKey.DOWN);
        lines = text(browse.render(8, 80));
        assertEquals(row("data/", "sub/", "hello    world"), lines.get(0), "a tab shows as 4 spaces");
        assertEquals(row("docs/", "readme.txt", "second line"), lines.get(1));
        assertEquals(row("many/", "", ""), lines.get(2));
        assertEquals(row("top.txt", "", "[EOF - 24 B]"), lines.get(4));
        assertEquals(" docs | 2 items | 24 B | q:quit h/l:nav j/k:move", lines.get(7));

        // l on a file focuses the preview: j/k scroll it, g goes to its top, h gives the focus back
        browse.handle(TuiKey.ENTER);
        assertTrue(browse.previewFocused());
        browse.handle(TuiKey.DOWN);
        browse.handle(TuiKey.DOWN);
        assertEquals(2, browse.previewOffset());
        assertEquals(row("data/", "sub/", ""), text(browse.render(8, 80)).get(0));
        browse.handle(TuiKey.TOP);
        assertEquals(0, browse.previewOffset());
        browse.handle(TuiKey.BACK);
        assertFalse(browse.previewFocused());
        assertEquals("docs", browse.cwd(), "the first h only leaves the preview");
        browse.handle(TuiKey.TAB);
        assertTrue(browse.previewFocused());
        browse.handle(TuiKey.TAB);

        browse.handle(TuiKey.BACK);
        assertEquals("", browse.cwd());
        assertEquals(1, browse.cursor(), "back on docs");
        browse.handle(TuiKey.BOTTOM);
        assertEquals(4, browse.cursor());
        browse.handle(TuiKey.PAGE_UP);
        assertEquals(0, browse.cursor());
        assertFalse(browse.handle(TuiKey.QUIT));
    }

    @Test
    void browsePreviewsAnEmptyFileAndAnEmptyDirectoryAsTheOriginal() throws IOException {
        BrowseScreen browse = new BrowseScreen(archive.get());
        browse.handle(TuiKey.BOTTOM);
        browse.handle(TuiKey.UP); // empty.txt
        assertEquals(List.of(), browse.preview(10), "an empty file shows nothing, not even [EOF]");
        browse.handle(TuiKey.TOP);
        browse.mouse(TuiScreen.MouseAction.CLICK, 20, 2); // many/
        assertEquals(2, browse.cursor());
        browse.mouse(TuiScreen.MouseAction.WHEEL_DOWN, 20, 2);
        assertEquals(4, browse.cursor(), "the wheel moves 3, up to the last row");
    }

    @Test
    void aDirectoryPastTheSortLimitIsReadOnlyAsFarAsShown() throws IOException {
        DirectoryRows sorted = DirectoryRows.of(archive.get(), "many", DirectoryRows.Order.SIZE);
        assertTrue(sorted.sorted());
        assertEquals("f11", sorted.get(0).name());

        DirectoryRows rows = DirectoryRows.of(archive.get(), "many", DirectoryRows.Order.SIZE, 5);
        assertFalse(rows.sorted(), "12 entries, as the directory's row counts them, are more than 5");
        assertEquals(12, rows.size(), "the count comes from the index before the rows are read");
        assertEquals("f00", rows.get(0).name(), "in the index's order");
        assertEquals(new TuiEntry("f03", false, 3, 1), rows.get(3));
        assertNull(rows.get(12));
        assertEquals(7, rows.indexOf("f07"));
    }

    @Test
    void keysAreTheOriginalsWhateverTheTerminalSendsForArrows() {
        KeyMap<TuiKey> keys = FullScreen.keyMap(null);
        assertEquals(TuiKey.QUIT, keys.getBound("q"));
        assertEquals(TuiKey.DOWN, keys.getBound("j"));
        assertEquals(TuiKey.DOWN, keys.getBound("\033[B"));
        assertEquals(TuiKey.DOWN, keys.getBound("\033OB"));
        assertEquals(TuiKey.UP, keys.getBound("k"));
        assertEquals(TuiKey.ENTER, keys.getBound("l"));
        assertEquals(TuiKey.ENTER, keys.getBound("\r"));
        assertEquals(TuiKey.ENTER, keys.getBound("\033[C"));
        assertEquals(TuiKey.BACK, keys.getBound("h"));
        assertEquals(TuiKey.BACK, keys.getBound("\033OD"));
        assertEquals(TuiKey.TOP, keys.getBound("g"));
        assertEquals(TuiKey.BOTTOM, keys.getBound("G"));
        assertEquals(TuiKey.PAGE_UP, keys.getBound("\033[5~"));
        assertEquals(TuiKey.PAGE_DOWN, keys.getBound("\033[6~"));
        assertEquals(TuiKey.TAB, keys.getBound("\t"));
    }

    /** A line of browse's three columns on 80 columns: 16 for the parent directory, 28 for the current one. */
    private static String row(String parent, String current, String preview) {
        return (String.format("%-16s│%-28s│", parent, current) + preview).stripTrailing();
    }
}
