package org.barecat.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListingCommandsTest {
    @TempDir
    static Path tmp;
    static String archive;

    @BeforeAll
    static void makeArchive() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        archive = tmp.resolve("s.barecat").toString();
        assertEquals(0, Cli.run("create", "-q", "-C", src.toString(), archive, ".").code());
    }

    private static List<String> out(String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        return TestTrees.lines(r.out());
    }

    @Test
    void lsListsOneNamePerLineDirectoriesFirst() {
        assertEquals(List.of("a", "empty", "odd names", "top.txt"), out("ls", archive));
        assertEquals(List.of("b", "big.bin"), out("ls", archive, "a"));
        assertEquals(List.of("a/b/hello.txt"), out("ls", archive, "a/b/hello.txt"));
        assertEquals(List.of(".:", "a", "empty", "odd names", "top.txt", "", "./a:", "b", "big.bin", "", "./a/b:",
                "hello.txt", "", "./empty:", "", "./odd names:", "ünï", "sp ace & 'q' %#.txt", "", "./odd names/ünï:",
                "ファイル"), out("ls", "-R", archive));
        Cli.Run missing = Cli.run("ls", archive, "nope");
        assertEquals(1, missing.code());
        assertEquals("barecat: ls: cannot access 'nope': No such file or directory in the archive\n", missing.err());
    }

    @Test
    void lsLongShowsModeOwnerSizeAndTime() {
        List<String> lines = out("ls", "-l", archive, "a");
        assertEquals("total 99", lines.get(0));
        assertTrue(lines.get(1).matches("drwxr-xr-x  2 \\d+ +\\d+ +6 \\w{3} [ \\d]\\d ( \\d{4}|\\d\\d:\\d\\d) b"), lines.get(1));
        assertTrue(lines.get(2).matches("-rw-------  1 \\d+ +\\d+ +100000 \\w{3} [ \\d]\\d  2020 big.bin"), lines.get(2));
        assertTrue(out("ls", "-lh", archive, "a").get(2).contains(" 98K "));
    }

    @Test
    void findFiltersByNamePathTypeSizeAndDepth() {
        assertEquals(List.of(".", "a", "a/b", "a/b/hello.txt", "a/big.bin", "empty", "odd names", "odd names/ünï",
                "odd names/ünï/ファイル", "odd names/sp ace & 'q' %#.txt", "top.txt"), out("find", archive));
        assertEquals(List.of("a/b/hello.txt", "odd names/sp ace & 'q' %#.txt", "top.txt"),
                out("find", archive, "-name", "*.txt"));
        assertEquals(List.of("a/big.bin"), out("find", archive, "-type", "f", "-size", "+10k"));
        assertEquals(List.of("odd names/ünï/ファイル", "odd names/sp ace & 'q' %#.txt", "top.txt"),
                out("find", archive, "-type", "f", "-size", "-5c"));
        assertEquals(List.of("a", "a/b", "empty", "odd names", "odd names/ünï"), out("find", archive, "-mindepth", "1",
                "-type", "d"));
        assertEquals(List.of("a", "a/b", "a/big.bin"), out("find", archive, "a", "-maxdepth", "1"));
        assertEquals(List.of("odd names/ünï/ファイル"), out("find", archive, "-path", "odd*/ファ*"));
        assertEquals("a/b/hello.txt\0a/big.bin\0", Cli.run("find", archive, "a", "-type", "f", "-print0").out());
    }

    @Test
    void duAddsUpFromTheStatisticsLikeCoreutils() {
        assertEquals(List.of("1\ta/b", "98\ta", "0\tempty", "1\todd names/ünï", "1\todd names", "98\t."), out("du", archive));
        assertEquals(List.of("98\t."), out("du", "-s", archive));
        assertEquals(List.of("100018\t."), out("du", "-sb", archive));
        assertEquals(List.of("98K\ta", "0\tempty", "8\todd names", "98K\t."), out("du", "-h", "-d", "1", "-b", archive));
        assertEquals(List.of("100006\ta", "4\ttop.txt", "100010\ttotal"), out("du", "-sbc", archive, "a", "top.txt"));
        assertEquals(List.of("1\ta/b/hello.txt", "1\ta/b"), out("du", "-a", archive, "a/b"));
    }

    @Test
    void treeDrawsLikeTheTreeProgram() {
        assertEquals(List.of(".", "├── a", "│   ├── b", "│   │   └── hello.txt", "│   └── big.bin", "├── empty",
                "├── odd names", "│   ├── ünï", "│   │   └── ファイル", "│   └── sp ace & 'q' %#.txt", "└── top.txt", "",
                "5 directories, 5 files"), out("tree", archive));
        assertEquals(List.of(".", "├── a", "├── empty", "└── odd names", "", "3 directories"),
                out("tree", "-d", "-L", "1", archive));
    }

    @Test
    void catWritesTheBytesAndInfoTheTotals() {
        assertEquals("hello\ntop\n", Cli.run("cat", archive, "a/b/hello.txt", "top.txt").out());
        Cli.Run dir = Cli.run("cat", archive, "a");
        assertEquals(1, dir.code());
        assertEquals("barecat: cat: a: Is a directory\n", dir.err());
        List<String> info = out("info", archive);
        assertTrue(info.contains("schema version:      0.3"), info.toString());
        assertTrue(info.contains("files:               5"), info.toString());
        assertTrue(info.contains("total size:          100018 bytes (98K)"), info.toString());
        assertTrue(info.contains("shards:              1, 100018 bytes (98K)"), info.toString());
        assertTrue(info.contains("statistics triggers: on"), info.toString());
    }

    @Test
    void helpListsTheExitCodesAndBadArgumentsExitWith2() {
        Cli.Run help = Cli.run("--help");
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().contains("2   bad command-line arguments"), help.out());
        assertEquals(2, Cli.run("ls").code());
        assertEquals(2, Cli.run("find", archive, "-size", "12q").code());
        assertEquals(2, Cli.run("create", archive + "2").code());
    }
}
