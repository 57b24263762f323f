package org.barecat.it;

import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What bin/barecat says when it cannot do what it was asked: one line that names the right file and
 * the real reason, a non-zero exit, and nothing written. Each case used to say something misleading.
 */
class MessagesTest {
    static Path source;
    static Path archive;
    /** Each test's own directory for what it writes, so that what one test leaves no other sees. */
    @TempDir
    Path tmp;

    @BeforeAll
    static void buildArchive(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        try (TreeBuilder tree = TreeBuilder.directory(dir.resolve("source"))) {
            for (int i = 0; i < 40; i++) {
                tree.file(String.format("d/f%02d", i), Trees.randomBytes(random, 50_000));
            }
        }
        source = dir.resolve("source");
        archive = Launchers.create(source, dir.resolve("m.barecat"), "-q");
    }

    private static void assertFails(Programs.Result r, String line) {
        assertEquals(line + "\n", r.stderr());
        assertEquals(1, r.exit(), r.stderr());
    }

    @Test
    void aDirectoryNamedAsAnArchiveIsSaidToBeOne() throws IOException {
        // was: "no such archive (neither the file nor DIR-sqlite-index exists)"
        Path dir = Files.createDirectory(tmp.resolve("a-directory"));
        for (String command : List.of("ls", "verify", "info")) {
            assertFails(Launchers.barecat(command, dir.toString()), "barecat: " + dir + ": is a directory, not an archive");
        }
        Path mnt = Files.createDirectory(tmp.resolve("mnt-dir"));
        assertEquals("barecat-mount: " + dir + ": is a directory, not an archive", Launchers.refusedMount(dir, mnt));
    }

    @Test
    void anArchiveToMakeIsNeverADirectory() throws IOException {
        // was: "cannot access" for a directory with files, an empty directory replaced by the archive, and
        // "newdir/" made a file named newdir
        Path full = Files.createDirectory(tmp.resolve("full-dir"));
        Files.writeString(full.resolve("keep"), "keep");
        Path empty = Files.createDirectory(tmp.resolve("empty-dir"));
        for (Path dir : List.of(full, empty)) {
            for (List<String> command : List.of(List.of("create", "-q", "-f", dir.toString(), "-C", source.toString(), "."),
                    List.of("create", "-q", dir.toString(), "-C", source.toString(), "."))) {
                assertFails(Launchers.barecat(command.toArray(String[]::new)), "barecat: " + dir
                        + ": is a directory; name the file to make, e.g. " + dir.resolve("data.barecat"));
            }
        }
        Path tar = tmp.resolve("m.tar");
        Launchers.barecat("convert", "-q", archive.toString(), tar.toString()).ok();
        assertFails(Launchers.barecat("convert", "-q", "-f", tar.toString(), empty.toString()), "barecat: " + empty
                + ": is a directory; name the file to make, e.g. " + empty.resolve("data.barecat"));
        Path tarDir = Files.createDirectory(tmp.resolve("dir.tar"));
        assertFails(Launchers.barecat("convert", "-q", "-f", archive.toString(), tarDir.toString()), "barecat: "
                + tarDir + ": is a directory; name the file to make, e.g. " + tarDir.resolve("data.tar"));
        assertEquals(List.of(), names(tarDir));
        assertEquals("keep", Files.readString(full.resolve("keep")));
        assertEquals(List.of("keep"), names(full));
        assertEquals(List.of(), names(empty));

        Path newDir = tmp.resolve("new-dir");
        assertFails(Launchers.barecat("create", "-q", "-f", newDir + "/", "-C", source.toString(), "."),
                "barecat: " + newDir + "/: names a directory (it ends with '/'); name the file to make, e.g. "
                        + newDir.resolve("data.barecat"));
        assertFails(Launchers.barecat("add", "-q", "-c", newDir + "/", "-C", source.toString(), "."),
                "barecat: " + newDir + "/: names a directory (it ends with '/'); name the file to make, e.g. "
                        + newDir.resolve("data.barecat"));
        assertFails(Launchers.barecat("convert", "-q", "-f", archive.toString(), newDir + "/"),
                "barecat: " + newDir + "/: names a directory (it ends with '/'); name the file to make, e.g. "
                        + newDir.resolve("data.tar"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith("new-dir")).toList());
        }
    }

    @Test
    void extractingIntoAFileSaysItIsNotADirectory() throws IOException {
        // was: "already exists"
        Path file = Files.writeString(tmp.resolve("a-file"), "mine");
        assertFails(Launchers.barecat("extract", "-q", archive.toString(), "-C", file.toString()),
                "barecat: " + file + ": not a directory (extracting needs a directory)");
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void extractingOverAnExistingFileNamesTheFlagThatReplacesIt() throws IOException {
        // was: "(ask for overwriting to replace it)"
        Path out = Files.createDirectories(tmp.resolve("out-existing/d"));
        Files.writeString(out.resolve("f03"), "mine");
        Programs.Result r = Launchers.barecat("extract", "-q", archive.toString(), "d/f03", "-C",
                out.getParent().toString());
        assertFails(r, "barecat: d/f03: not overwritten: " + out.resolve("f03") + " exists (use --overwrite to"
                + " replace it)");
        assertEquals("mine", Files.readString(out.resolve("f03")));
    }

    @Test
    void aDirectoryThatCannotBeMadeIsGivenTheReason() throws IOException {
        // was: "cannot create directory /proc/self/checker: /proc/self/checker"
        Path src = Files.createDirectories(tmp.resolve("checker-src/checker"));
        Files.writeString(src.resolve("f"), "x");
        Path checker = tmp.resolve("checker.barecat");
        Launchers.barecat("create", "-q", "-C", src.getParent().toString(), checker.toString(), "checker").ok();
        Programs.Result r = Launchers.barecat("extract", "-q", checker.toString(), "-C", "/proc/self");
        assertEquals(1, r.exit());
        assertEquals("barecat: checker: cannot create directory /proc/self/checker: no such file or directory\n"
                + "barecat: checker/f: cannot create directory /proc/self/checker: no such file or directory\n",
                r.stderr());
    }

    @Test
    void aTarMemberWithANameOver255BytesIsRefusedForThatReason() throws IOException {
        // was: "(empty, '.' or '..' component)"
        Path tar = tmp.resolve("long.tar");
        String longName = "d/" + "x".repeat(300) + "/f";
        Programs.run("python3", "-c", String.join("\n",
                "import io, sys, tarfile",
                "with tarfile.open(sys.argv[1], 'w') as t:",
                "    for name in ['ok.txt', sys.argv[2], 'd/../up.txt']:",
                "        i = tarfile.TarInfo(name); i.size = 3; t.addfile(i, io.BytesIO(b'ok\\n'))"),
                tar.toString(), longName).ok();
        Path out = tmp.resolve("long.barecat");
        Programs.Result r = Launchers.barecat("convert", "-q", tar.toString(), out.toString());
        assertEquals(1, r.exit());
        assertEquals("barecat: " + longName + ": refused: not a valid archive path (a name of 300 bytes, more than"
                + " 255)\nbarecat: d/../up.txt: refused: not a valid archive path (a '..' component)\n", r.stderr());
        assertEquals("ok.txt\n", Launchers.barecat("find", out.toString(), "-type", "f").ok().out().replace("./", ""));
    }

    @Test
    void theCommandListDescribesEachCommandInAWholeSentence() {
        // was: verify, ls, find, du and tree cut mid-sentence ("... that every")
        String help = Launchers.barecat("--help").ok().out();
        Map<String, String> summaries = new LinkedHashMap<>();
        String command = null;
        for (String line : help.substring(help.indexOf("Commands:\n") + 10, help.indexOf("\nExit codes:")).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("  ") && !line.startsWith("    ")) {
                command = line.trim().split("[ ,]")[0];
                summaries.put(command, line.trim().replaceFirst("^\\S+(, \\S+)*\\s+", ""));
            } else {
                summaries.merge(command, " " + line.trim(), String::concat);
            }
        }
        assertEquals(List.of("create", "add", "extract", "convert", "verify", "ls", "cat", "find", "du", "tree", "info",
                "shell", "rm", "mv", "defrag", "reshard", "merge", "subset", "rsync", "index-to-csv", "to-ncdu-json", "upgrade",
                "completion-script", "mount", "serve", "demo", "browse", "ncdu"),
                new ArrayList<>(summaries.keySet()));
        summaries.forEach((name, summary) -> assertTrue(summary.endsWith("."), name + ": " + summary));
    }

    // ------------------------------------------------------------------ full file systems (root only)

    /** A 1 MiB tmpfs mounted at the new directory {@code root} for the test and removed after it. */
    private static final class SmallFileSystem implements AutoCloseable {
        final Path root;

        SmallFileSystem(Path root) throws IOException {
            assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a tmpfs");
            this.root = Files.createDirectory(root);
            Programs.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", root.toString()).ok();
        }

        @Override
        public void close() {
            if (Programs.run("umount", root.toString()).exit() != 0) {
                Programs.run("umount", "-l", root.toString());
            }
        }
    }

    @Test
    void extractingOntoAFullFileSystemStopsAtTheFirstFileThatDoesNotFit() throws IOException {
        // was: one "No space left on device" line for each file left (9,239 of them)
        try (SmallFileSystem small = new SmallFileSystem(tmp.resolve("small-extract"))) {
            Path out = small.root.resolve("out");
            Programs.Result r = Launchers.barecat("extract", "-q", archive.toString(), "-C", out.toString());
            assertEquals(1, r.exit());
            List<String> lines = r.stderr().lines().toList();
            assertEquals(1, lines.size(), r.stderr());
            List<String> written = names(out.resolve("d"));
            String first = "d/f" + String.format("%02d", written.size());
            assertEquals("barecat: " + out.resolve(first) + ": cannot write: No space left on device; extraction"
                    + " stopped", lines.get(0));
            assertTrue(written.size() > 5 && written.size() < 40, written.toString());
            for (String name : written) {
                assertEquals(Files.size(source.resolve("d").resolve(name)), Files.size(out.resolve("d").resolve(name)),
                        "only whole files are left: " + name);
            }
        }
    }

    @Test
    void aFullDiskWhileWritingAnArchiveNamesTheOutput() throws IOException {
        // was: convert named the input tar; create and barecat-to-tar convert named no file
        Path tar = tmp.resolve("full.tar");
        Launchers.barecat("convert", "-q", archive.toString(), tar.toString()).ok();
        try (SmallFileSystem small = new SmallFileSystem(tmp.resolve("small-write"))) {
            Path created = small.root.resolve("c.barecat");
            assertFails(Launchers.barecat("create", "-q", created.toString(), "-C", source.toString(), "."),
                    "barecat: " + created + "-shard-00000: No space left on device");
            Path converted = small.root.resolve("v.barecat");
            assertFails(Launchers.barecat("convert", "-q", tar.toString(), converted.toString()),
                    "barecat: " + converted + "-shard-00000: No space left on device");
            Path exported = small.root.resolve("e.tar");
            assertFails(Launchers.barecat("convert", "-q", archive.toString(), exported.toString()),
                    "barecat: " + exported + ": No space left on device");
            assertEquals(List.of(), names(small.root), "nothing left behind");
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
