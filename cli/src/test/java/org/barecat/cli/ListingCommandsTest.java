package org.barecat.cli;

import org.barecat.testing.ClassResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListingCommandsTest {
    @RegisterExtension
    static final ClassResource<String> sample = new ClassResource<>(dir -> TestTrees.sampleArchive(dir).toString());

    private static List<String> out(String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        return TestTrees.lines(r.out());
    }

    @Test
    void lsPrintsWhatTheOriginalPrints() {
        String archive = sample.get();
        // a directory: its names sorted, directories with a /; a file: its full path
        assertEquals(List.of("a/", "empty/", "odd names/", "top.txt"), out("ls", archive));
        assertEquals(out("ls", archive), out("ls", archive, "."));
        assertEquals(List.of("b/", "big.bin"), out("ls", archive, "a"));
        assertEquals(List.of("b/", "big.bin"), out("ls", archive, "./a"));
        assertEquals(List.of("a/b/hello.txt"), out("ls", archive, "a/b/hello.txt"));
        // -R: the full path of every file, each directory's files before its subdirectories
        assertEquals(List.of("top.txt", "a/big.bin", "a/b/hello.txt", "odd names/sp ace & 'q' %#.txt",
                "odd names/ünï/ファイル"), out("ls", "-R", archive));
        assertEquals(List.of("a/big.bin", "a/b/hello.txt"), out("ls", "-R", archive, "a"));
        assertEquals(List.of("top.txt"), out("ls", "-R", archive, "top.txt"));
        // globs over whole paths: directories then files, files then directories for **; a trailing / is /**
        assertEquals(List.of("a/", "empty/", "odd names/", "top.txt"), out("ls", archive, "*"));
        assertEquals(List.of("a/b/hello.txt", "a/big.bin", "a/b/"), out("ls", archive, "a/"));
        assertEquals(out("ls", archive, "a/"), out("ls", "-R", archive, "a/**"));
        assertEquals(List.of("a/b/hello.txt", "odd names/sp ace & 'q' %#.txt", "top.txt"), out("ls", archive, "**/*.txt"));
        assertEquals(List.of(), out("ls", archive, "/"));
        // several PATHs, no headers; a missing one is a line on stdout and changes no exit status
        Cli.Run r = Cli.run("ls", archive, "nope", "a", "top.txt");
        assertEquals(0, r.code(), r.err());
        assertEquals("ls: nope: No such file or directory\nb/\nbig.bin\ntop.txt\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void lsLongAndJsonlLinesAreTheOriginals() {
        String archive = sample.get();
        List<String> lines = out("ls", "-l", archive, "a");
        assertEquals("total 100006", lines.get(0), "the sum of the sizes listed, in bytes");
        String owner = "\\S+ +\\S+ +";
        assertTrue(lines.get(1).matches("drwxr-xr-x    2 " + owner + "  6 \\w{3} \\d\\d (\\d\\d:\\d\\d| \\d{4}) b"),
                lines.get(1));
        assertTrue(lines.get(2).matches("-rw-------    1 " + owner + "100000 \\w{3} \\d\\d  2020 big.bin"), lines.get(2));
        assertTrue(out("ls", "-l", archive, "a/big.bin").get(0).endsWith(" a/big.bin"));
        List<String> recursive = out("ls", "-lR", archive, "a");
        assertEquals(2, recursive.size(), "files only, no total");
        assertTrue(recursive.get(0).endsWith(" a/big.bin") && recursive.get(1).endsWith(" a/b/hello.txt"), recursive.toString());
        assertTrue(out("ls", "-lh", archive, "a").get(2).contains(" 98K "));

        List<String> json = out("ls", "--jsonl", archive, "a");
        assertEquals(2, json.size(), "no total line");
        assertTrue(json.get(0).matches("\\{\"type\": \"dir\", \"path\": \"a/b\", \"size_tree\": 6, \"num_files_tree\": 1,"
                + " \"mtime_ns\": \\d+, \"mode\": 16877, \"uid\": \\d+, \"gid\": \\d+}"), json.get(0));
        assertTrue(json.get(1).matches("\\{\"type\": \"file\", \"path\": \"a/big.bin\", \"size\": 100000, \"mtime_ns\": \\d+,"
                + " \"crc32c\": \\d+, \"mode\": 33152, \"uid\": \\d+, \"gid\": \\d+}"), json.get(1));
        assertTrue(out("ls", "--jsonl", "-R", archive, "odd names/ünï").get(0)
                .contains("\"path\": \"odd names/\\u00fcn\\u00ef/\\u30d5\\u30a1\\u30a4\\u30eb\""), "ASCII only, as json.dumps");
    }

    @Test
    void findFiltersByNamePathTypeSizeAndDepth() {
        String archive = sample.get();
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
        String archive = sample.get();
        assertEquals(List.of("1\ta/b", "98\ta", "0\tempty", "1\todd names/ünï", "1\todd names", "98\t."), out("du", archive));
        assertEquals(List.of("98\t."), out("du", "-s", archive));
        assertEquals(List.of("100018\t."), out("du", "-sb", archive));
        assertEquals(List.of("98K\ta", "0\tempty", "8\todd names", "98K\t."), out("du", "-h", "-d", "1", "-b", archive));
        assertEquals(List.of("100006\ta", "4\ttop.txt", "100010\ttotal"), out("du", "-sbc", archive, "a", "top.txt"));
        assertEquals(List.of("1\ta/b/hello.txt", "1\ta/b"), out("du", "-a", archive, "a/b"));
    }

    @Test
    void treeDrawsLikeTheTreeProgram() {
        String archive = sample.get();
        assertEquals(List.of(".", "├── a", "│   ├── b", "│   │   └── hello.txt", "│   └── big.bin", "├── empty",
                "├── odd names", "│   ├── ünï", "│   │   └── ファイル", "│   └── sp ace & 'q' %#.txt", "└── top.txt", "",
                "5 directories, 5 files"), out("tree", archive));
        assertEquals(List.of(".", "├── a", "├── empty", "└── odd names", "", "3 directories"),
                out("tree", "-d", "-L", "1", archive));
    }

    @Test
    void catWritesTheBytesAndInfoTheTotals() {
        String archive = sample.get();
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
        String archive = sample.get();
        Cli.Run help = Cli.run("--help");
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().contains("2   bad command-line arguments"), help.out());
        assertEquals(2, Cli.run("ls").code());
        assertEquals(2, Cli.run("find", archive, "-size", "12q").code());
        assertEquals(2, Cli.run("create", archive + "2").code());
    }
}
