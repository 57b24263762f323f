package org.barecat.cli;

import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barecat shell}: the original's commands and messages, with -c, on stdin and with -w. */
class ShellCommandTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final ClassResource<String> sample = new ClassResource<>(dir -> TestTrees.sampleArchive(dir).toString());

    /** What {@code barecat shell -c LINE ARCHIVE} prints; its exit status is 0 whatever the line did. */
    private static String c(String archive, String line) {
        Cli.Run r = Cli.run("shell", "-c", line, archive);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    private static String c(String line) {
        return c(sample.get(), line);
    }

    private static String barecat(String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void listingCommandsPrintWhatTheCommandsOfTheSameNamePrint() {
        String archive = sample.get();
        assertEquals(barecat("ls", archive), c("ls"));
        assertEquals("a/\nempty/\nodd names/\ntop.txt\n", c("ls /"));
        assertEquals(barecat("ls", "-l", archive, "a"), c("ls -l a"));
        assertEquals(barecat("ls", "-R", archive, "a"), c("ls -R /a/b/.."));
        assertEquals(barecat("ls", archive, "**/*.txt"), c("ls '**/*.txt'"));
        assertEquals(barecat("tree", archive), c("tree"));
        assertEquals(barecat("tree", "-d", "-L", "1", archive, "a"), c("tree --depth 1 -d a"));
        assertEquals(barecat("find", archive, "-name", "*.txt"), c("find -name '*.txt'"));
        assertEquals(barecat("find", archive, "odd names", "-type", "f"), c("find \"odd names\" -type f"));
        assertEquals("find: unknown option: -foo\n", c("find -foo"));
        // du: one total unless -a or -d, -H for human sizes
        assertEquals(barecat("du", "-s", archive), c("du"));
        assertEquals(barecat("du", "-a", archive, "a"), c("du -a a"));
        assertEquals(barecat("du", "-d", "1", "-h", archive), c("du -d 1 -H"));
    }

    @Test
    void fileCommandsPrintTheOriginalsLines() {
        String archive = sample.get();
        assertEquals("/\n", c("pwd"));
        assertEquals("top\n", c("cat top.txt"));
        assertEquals("odd\n", c("cat odd names/sp ace & 'q' %#.txt"), "the rest of the line is the path");
        assertEquals("cat: a/b: No such file\n", c("cat /a/b"));
        assertEquals("cat: missing path\n", c("cat"));
        assertEquals("xxx\n", c("head -n 3 a/big.bin"), "a newline after bytes that do not end with one");
        assertEquals("x".repeat(1024) + "\n", c("head a/big.bin"));
        assertEquals("head: nope: No such file\n", c("head nope"));
        assertTrue(c("stat a/b/hello.txt").matches("  File: a/b/hello.txt\n  Size: 6\n Shard: 0\nOffset: \\d+\n"
                + "CRC32C: 0x[0-9a-f]{8}\n"), c("stat a/b/hello.txt"));
        assertEquals("   Dir: /a\n Files: 1 (direct)\n Total: 2 files, 100006 bytes\n", c("stat a"));
        assertEquals("stat: nope: No such file or directory\n", c("stat nope"));
        assertEquals("Archive: " + archive + "\n  Files: 5\n   Dirs: 6\n  Total: 100018 bytes\n Shards: 1\n", c(".info"));
        assertEquals("path\tsize\n" + "-".repeat(40) + "\ntop.txt\t4\n(1 rows)\n",
                c("sql SELECT path, size FROM files WHERE path = 'top.txt'"));
        assertEquals("(0 rows)\n", c("sql SELECT path FROM files WHERE size > 1e9"));
        Cli.Run bad = Cli.run("shell", "-c", "sql DELETE FROM files", archive);
        assertEquals(0, bad.code());
        assertTrue(bad.err().startsWith("sql error: "), bad.err());
        assertEquals("5\n", c("sql SELECT count(*) FROM files").split("\n")[2] + "\n", "the index is read-only");
    }

    @Test
    void shellLinesAreTheOriginals() {
        String archive = sample.get();
        assertEquals("Unknown command: foo bar\n", c("foo bar"));
        assertEquals("Unknown command: .nope\n", c(".nope"));
        assertEquals("/\n", c(".pwd"));
        assertEquals("!: missing command\n", c("!"));
        assertEquals("cd: not a directory: top.txt\n", c("cd top.txt"));
        assertEquals("", c("cd a"));
        assertEquals("Change directory: cd [path]\n", c("help cd"));
        assertEquals("*** No help on nope\n", c("? nope"));
        String help = c("?");
        assertTrue(help.startsWith("\nDocumented commands (type help <topic>):\n" + "=".repeat(40) + "\nEOF  cd  exit"), help);
        for (String command : List.of("rm top.txt", "mv top.txt t", "put x", "mput x")) {
            String name = command.substring(0, command.indexOf(' '));
            assertEquals(name + ": archive is read-only (use barecat-shell --write)\n", c(command));
        }
        Cli.Run missing = Cli.run("shell", "-c", "ls", tmp.resolve("nope.barecat").toString());
        assertEquals(1, missing.code(), "an archive that cannot be opened is an error, as for every command");
        assertEquals(1, missing.err().lines().count(), missing.err());
    }

    @Test
    void linesFromStdinRunOneAfterTheOtherWithPromptsAsTheOriginal() {
        String archive = sample.get();
        Cli.Run r = Cli.runWithInput("cd a\npwd\n\nls\ncd nope\ncd ../odd names\npwd\ncd\nquit\nls\n"
                .getBytes(StandardCharsets.UTF_8), "shell", archive);
        assertEquals(0, r.code(), r.err());
        assertEquals(BarecatShell.INTRO + "\nbarecat:/> barecat:/a> /a\nbarecat:/a> barecat:/a> b/\nbig.bin\n"
                + "barecat:/a> cd: not a directory: a/nope\nbarecat:/a> barecat:/odd names> /odd names\n"
                + "barecat:/odd names> barecat:/> ", r.out(), "nothing after quit runs");
        Cli.Run eof = Cli.runWithInput("pwd".getBytes(StandardCharsets.UTF_8), "shell", archive);
        assertEquals(BarecatShell.INTRO + "\nbarecat:/> /\nbarecat:/> \n", eof.out(), "end of input prints a newline");
    }

    @Test
    void localCommandsWorkInTheirOwnDirectory() throws Exception {
        String archive = sample.get();
        Path local = Files.createDirectories(tmp.resolve("loc/sub"));
        Files.writeString(local.resolveSibling("f.txt"), "f");
        Path dir = local.getParent();
        Cli.Run r = Cli.runWithInput(("lcd " + dir + "\nlpwd\nlls\nlcd sub\nlcd nope\nlls " + dir + "\nexit\n")
                .getBytes(StandardCharsets.UTF_8), "shell", archive);
        assertEquals(BarecatShell.INTRO + "\nbarecat:/> Local directory: " + dir + "\nbarecat:/> " + dir
                + "\nbarecat:/> f.txt\nsub/\nbarecat:/> Local directory: " + local + "\nbarecat:/> lcd: not a directory: "
                + local.resolve("nope") + "\nbarecat:/> f.txt\nsub/\nbarecat:/> ", r.out());
    }

    @Test
    void lssSummarizesNumberedNames() {
        List<String> names = new ArrayList<>();
        IntStream.rangeClosed(0, 1200).forEach(i -> names.add(String.format("frame_%04d.jpg", i)));
        names.addAll(List.of("a1.png", "a2.png", "notes.txt", "cam1_0001.jpg", "cam1_0002.jpg", "cam1_0003.jpg",
                "cam1_0004.jpg", "cam1_0005.jpg", "cam2_0001.jpg"));
        names.sort(LsCommand::compareCodePoints);
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            NumberedNames.summarize(names, out);
        }
        // groups by shape, in the order of their texts and digit widths: a#.png, cam#_####.jpg, frame_####.jpg, notes.txt
        assertEquals("a1.png\na2.png\ncam1_****.jpg  (5 files, 0001–0005)\ncam2_0001.jpg\n"
                + "frame_****.jpg  (1201 files, 0000–1200)\nnotes.txt\n", s.toString());
    }

    @Test
    void lssListsDirectoriesThenTheSummary() throws Exception {
        TreeBuilder b = TreeBuilder.directory(tmp.resolve("frames-src"));
        for (int i = 0; i < 7; i++) {
            b.file("f/img" + i + ".png", "p");
        }
        b.file("f/sub/x", "x").build();
        String frames = tmp.resolve("frames.barecat").toString();
        barecat("create", "-q", "-C", tmp.resolve("frames-src").toString(), frames, ".");
        assertEquals("sub/\nimg*.png  (7 files, 0–6)\n", c(frames, "lss f"));
        assertEquals("lss: not a directory: f/img1.png\n", c(frames, "lss f/img1.png"));
    }

    /** path → the file's bytes in hex, read by Python's sqlite3 and plain file reads, not by this project's code. */
    private static Map<String, String> independentlyRead(Path index) throws Exception {
        String script = "import sqlite3, sys\n"
                + "db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)\n"
                + "for p, s, o, n in db.execute('SELECT path, shard, offset, size FROM files ORDER BY path'):\n"
                + "    with open('%s-shard-%05d' % (sys.argv[1], s), 'rb') as f:\n"
                + "        f.seek(o)\n"
                + "        d = f.read(n)\n"
                + "    assert len(d) == n, p\n"
                + "    print(p + '\\t' + d.hex())\n";
        Map<String, String> files = new TreeMap<>();
        for (String line : TestTrees.lines(TestTrees.exec(tmp, "python3", "-c", script, index.toString()))) {
            String[] f = line.split("\t", -1);
            files.put(f[0], f[1]);
        }
        return files;
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writeModeChangesTheArchiveAsRmMvAndAddDo() throws Exception {
        Path w = tmp.resolve("w.barecat");
        Path local = tmp.resolve("local");
        TreeBuilder.directory(local).file("one.txt", "one\n").file("more/two.txt", "two\n").file("more/.hid.txt", "h")
                .build();
        Cli.Run r = Cli.runWithInput(String.join("\n", "put " + local.resolve("one.txt"),
                "put " + local.resolve("one.txt") + " x/y/1.txt",
                "put " + local.resolve("one.txt"),
                "put " + local.resolve("nope"),
                "mput '" + local + "/**/*.txt' dir",
                "mv dir/two.txt dir/2.txt",
                "mv x z",
                "mv nope n",
                "rm one.txt",
                "rm z",
                "rm nope",
                "cd dir",
                "get 2.txt " + local.resolve("got") + "/",
                "get /z " + local.resolve("tree"),
                "mget '/**/*.txt' " + local.resolve("flat"),
                "").getBytes(StandardCharsets.UTF_8), "shell", "-w", w.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n", BarecatShell.INTRO,
                "barecat:/> Added: " + local.resolve("one.txt") + " -> one.txt",
                "barecat:/> Added: " + local.resolve("one.txt") + " -> x/y/1.txt",
                "barecat:/> put: one.txt: already in the archive",
                "barecat:/> put: " + local.resolve("nope") + ": No such file",
                "barecat:/>   " + local.resolve("more/two.txt") + " -> dir/two.txt",
                "  " + local.resolve("one.txt") + " -> dir/one.txt",
                "Added 2 files",
                "barecat:/> Renamed: dir/two.txt -> dir/2.txt",
                "barecat:/> Renamed: x -> z",
                "barecat:/> mv: nope: no such file or directory in " + w,
                "barecat:/> Removed: one.txt",
                "barecat:/> rm: z: Is a directory (use rmdir or rm -r)",
                "barecat:/> rm: nope: No such file",
                "barecat:/> barecat:/dir> Extracted: dir/2.txt -> " + local.resolve("got/2.txt"),
                "barecat:/dir> Extracted 1 files to " + local.resolve("tree"),
                "barecat:/dir>   dir/2.txt -> " + local.resolve("flat/2.txt"),
                "  dir/one.txt -> " + local.resolve("flat/one.txt"),
                "  z/y/1.txt -> " + local.resolve("flat/1.txt"),
                "Extracted 3 files",
                "barecat:/dir> ", ""), r.out());
        assertEquals("two\n", Files.readString(local.resolve("got/2.txt")));
        assertEquals("one\n", Files.readString(local.resolve("tree/y/1.txt")));
        assertEquals("one\n", Files.readString(local.resolve("flat/1.txt")));

        Cli.Run verify = Cli.run("verify", w.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertEquals(Map.of("dir/2.txt", hex("two\n"), "dir/one.txt", hex("one\n"), "z/y/1.txt", hex("one\n")),
                independentlyRead(w));
        assertEquals("   Dir: /dir\n Files: 2 (direct)\n Total: 2 files, 8 bytes\n", c(w.toString(), "stat dir"),
                "the directory statistics follow the changes");
    }

    @Test
    void completerOffersDirectoriesOrPathsAsTheOriginal() throws Exception {
        String archive = sample.get();
        TreeBuilder b = TreeBuilder.directory(tmp.resolve("many-src"));
        for (int i = 0; i < 250; i++) {
            b.file("many/f" + i, "");
        }
        b.build();
        String many = tmp.resolve("many.barecat").toString();
        barecat("create", "-q", "-C", tmp.resolve("many-src").toString(), many, ".");
        try (BarecatShell shell = new BarecatShell(archive, new RemoteArchiveOptions(), false);
             BarecatShell big = new BarecatShell(many, new RemoteArchiveOptions(), false)) {
            ShellCompleter completer = new ShellCompleter(shell);
            assertEquals(List.of("a/", "empty/", "odd names/"), values(completer, "cd "));
            assertEquals(List.of("a/", "empty/", "odd names/", "top.txt"), values(completer, "cat "));
            assertEquals(List.of("a/b/", "a/big.bin"), values(completer, "cat a/b"));
            assertEquals(List.of("a/b/"), values(completer, "tree a/"));
            assertEquals(List.of("/a/b/hello.txt"), values(completer, "stat /a/b/h"));
            assertEquals(List.of(), values(completer, "lcd a"), "local commands complete nothing from the archive");
            assertTrue(values(completer, "l").containsAll(List.of("lcd", "lls", "lpwd", "ls", "lss")));
            List<Candidate> cs = candidates(completer, "cat a/b");
            assertTrue(!cs.get(0).complete() && cs.get(1).complete(), "a directory goes on, a file is complete");
            assertEquals(BarecatShell.MAX_COMPLETIONS, values(new ShellCompleter(big), "ls many/f").size());
        }
    }

    @Test
    void onATerminalTabCompletesAndCtrlCAndCtrlDWorkAsInTheOriginal() throws Exception {
        String archive = sample.get();
        Path driver = tmp.resolve("pty_session.py");
        try (var in = ShellCommandTest.class.getResourceAsStream("pty_session.py")) {
            Files.copy(in, driver);
        }
        List<String> command = new ArrayList<>(List.of("python3", driver.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dfile.encoding=UTF-8",
                "-cp", System.getProperty("java.class.path"), BarecatCommand.class.getName(), "shell", archive));
        String screen = TestTrees.exec(tmp, command.toArray(String[]::new));
        assertTrue(screen.contains("barecat:/> cd odd\\ names/"), "Tab completed the directory, escaped: " + screen);
        assertTrue(screen.contains("/odd names\r\n"), "cd took the completed path: " + screen);
        assertTrue(screen.contains("^C\r\n"), screen);
        assertTrue(screen.contains("sp ace & 'q' %#.txt") && screen.contains("ünï/"), "the directory's entries listed: "
                + screen);
        assertTrue(screen.endsWith("\nexit 0\n"), "end of input leaves with status 0: " + screen);
    }

    private static List<Candidate> candidates(ShellCompleter completer, String line) {
        List<Candidate> out = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), out);
        return out;
    }

    private static List<String> values(ShellCompleter completer, String line) {
        return candidates(completer, line).stream().map(Candidate::value).sorted().toList();
    }
}
