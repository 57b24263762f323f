package org.barecat.cli;

import org.barecat.testing.IndependentWriter;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** merge, subset, rm, mv, defrag and reshard as a user runs them, checked against what tar and the files say. */
class MaintenanceCommandsTest {
    @TempDir
    Path tmp;

    /** Directory {@code name} with the files given, each holding its own name (and a line per character). */
    private Path tree(String name, String... files) throws Exception {
        TreeBuilder tree = TreeBuilder.directory(tmp.resolve(name));
        for (String f : files) {
            tree.file(f, name + ":" + f + "\n".repeat(f.length()));
        }
        return tree.build();
    }

    private Path archive(Path tree) {
        Path a = tmp.resolve(tree.getFileName() + ".barecat");
        assertEquals(0, Cli.run("create", "-q", "-C", tree.toString(), a.toString(), ".").code());
        return a;
    }

    /** Every file of an archive with its bytes, as find and cat see them. */
    private static String files(Path archive) {
        Cli.Run find = Cli.run("find", archive.toString(), "-type", "f");
        assertEquals(0, find.code(), find.err());
        return Arrays.stream(find.out().split("\n")).filter(s -> !s.isEmpty()).sorted()
                .map(p -> p + "=" + Cli.run("cat", archive.toString(), p).out())
                .collect(Collectors.joining("\n"));
    }

    /** {@code count} file names spread over four directories. */
    private static String[] spread(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "d" + (i % 4) + "/f" + i;
        }
        return names;
    }

    /** What the original prints when it recomputes the directory statistics. */
    private static final String TREESTATS = "Creating temporary tables for file counts\n"
            + "Creating temporary tables for subdir counts\nUpdating dirs table with treestats\n";

    private static void ok(String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    }

    @Test
    void mergeTakesBarecatTarAndZipInputsWithPrefixesSubdirsAndDuplicatesAsTheOriginal() throws Exception {
        Path a = archive(tree("a", "cats/1.jpg", "dogs/2.jpg", "top.txt"));
        Path b = tree("b", "cats/1.jpg", "cats/3.jpg");
        Path tar = tmp.resolve("B.tar.gz");
        TestTrees.exec(tmp, "tar", "-C", b.toString(), "-czf", tar.toString(), ".");
        Path zip = tmp.resolve("c.zip");
        Path c = tree("c", "birds/4.jpg");
        TestTrees.exec(c, "zip", "-qr", zip.toString(), ".");

        Path out = tmp.resolve("m.barecat");
        Cli.Run dup = Cli.run("merge", "-o", out.toString(), a.toString(), tar.toString());
        assertEquals(1, dup.code());
        assertEquals("barecat: cats/1.jpg: in " + tar + " and already in the output (use --ignore-duplicates to keep"
                + " the first)\n", dup.err());
        assertFalse(Files.exists(out), "nothing written");

        Cli.Run r = Cli.run("merge", "-o", out.toString(), "--ignore-duplicates", a.toString(), tar.toString(),
                zip.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("Merging files from " + a + "\nMerging files from " + tar + "\nMerging files from " + zip + "\n",
                r.out());
        assertEquals(String.join("\n", "birds/4.jpg=c:birds/4.jpg" + "\n".repeat(11),
                "cats/1.jpg=a:cats/1.jpg" + "\n".repeat(10), "cats/3.jpg=b:cats/3.jpg" + "\n".repeat(10),
                "dogs/2.jpg=a:dogs/2.jpg" + "\n".repeat(10), "top.txt=a:top.txt" + "\n".repeat(7)), files(out));
        assertEquals(0, Cli.run("verify", "-q", out.toString()).code());

        Path sub = tmp.resolve("s.barecat");
        r = Cli.run("merge", "-o", sub.toString(), "--as-subdirs", "--prefix", "all", a.toString(), tar.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("Merging files from " + a + " -> all/a/\nMerging files from " + tar + " -> all/b/\n", r.out());
        assertTrue(files(sub).startsWith("all/a/cats/1.jpg=a:"), files(sub));
        assertTrue(files(sub).contains("all/b/cats/1.jpg=b:"), files(sub));
        r = Cli.run("merge", "-o", tmp.resolve("f.barecat").toString(), "--ignore-duplicates", "-x", "top.txt", tar.toString(),
                a.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("Merging files from " + tar + "\nMerging files from " + a + "\n" + TREESTATS, r.out(),
                "treestats after a filtered Barecat input only, as the original");

        assertEquals(1, Cli.run("merge", "-o", out.toString(), a.toString()).code(), "OUT exists");
        r = Cli.run("merge", "-o", out.toString(), "-a", zip.toString(), a.toString());
        assertEquals(0, r.code(), "-a appends and ignores what OUT has: " + r.err());
        assertEquals(0, Cli.run("verify", "-q", out.toString()).code());
    }

    @Test
    void subsetTakesWhatThePatternOrTheRulesSay() throws Exception {
        Path a = archive(tree("a", "train/cat/1.jpg", "train/cat/2.png", "train/dog/3.jpg", "val/cat/4.jpg",
                "readme.txt"));
        Path out = tmp.resolve("p.barecat");
        Cli.Run first = Cli.run("subset", a.toString(), "-o", out.toString(), "--pattern", "train/");
        assertEquals(0, first.code(), first.err());
        assertEquals("Merging files from " + a + "\n" + TREESTATS, first.out(), "the original's lines, treestats too");
        assertEquals(List.of("train/cat/1.jpg", "train/cat/2.png", "train/dog/3.jpg"), paths(out));
        ok("subset", a.toString(), "-f", "-o", out.toString(), "--pattern", "**/*.jpg");
        assertEquals(List.of("train/cat/1.jpg", "train/dog/3.jpg", "val/cat/4.jpg"), paths(out));
        ok("subset", a.toString(), "-f", "-o", out.toString(), "-i", "train/cat/1.jpg", "-x", "train/**", "-x", "*.txt");
        assertEquals(List.of("train/cat/1.jpg", "val/cat/4.jpg"), paths(out));
        assertEquals(0, Cli.run("verify", "-q", out.toString()).code());
        ok("subset", a.toString(), "-f", "-o", out.toString(), "-x", "*.jpg");
        assertEquals(List.of("readme.txt", "train/cat/1.jpg", "train/cat/2.png", "train/dog/3.jpg", "val/cat/4.jpg"),
                paths(out), "patterns are anchored at the root: *.jpg is a top-level file");
        Cli.Run r = Cli.run("subset", a.toString(), "-f", "-o", out.toString(), "--pattern", "x", "-i", "y");
        assertEquals(1, r.code());
        assertEquals("barecat: subset: --pattern is incompatible with --include/--exclude\n", r.err());
    }

    @Test
    void rmMvThenDefragKeepEveryOtherFileAndFreeTheSpace() throws Exception {
        Path a = archive(tree("a", spread(60)));
        String before = files(a);
        ok("rm", a.toString(), "d1", "d2/f2");
        ok("mv", a.toString(), "d3", "d0");
        String after = files(a);
        assertFalse(after.contains("d1/") || after.contains("d2/f2="), after);
        assertTrue(after.contains("d0/d3/f3=a:d3/f3"), after);
        long shardBefore = Files.size(tmp.resolve("a.barecat-shard-00000"));

        Cli.Run n = Cli.run("defrag", "-n", a.toString());
        assertEquals(0, n.code(), n.err());
        assertTrue(n.out().startsWith("Physical size:       "), n.out());
        assertTrue(n.out().contains("Gaps by shard:\n  Shard 0: "), n.out());
        Cli.Run d = Cli.run("defrag", a.toString());
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().startsWith("Freed "), d.out());
        assertEquals(after, files(a), "every file as it was");
        assertTrue(Files.size(tmp.resolve("a.barecat-shard-00000")) < shardBefore);
        assertEquals("", Cli.run("defrag", a.toString()).out(), "nothing more to free: nothing printed");
        assertTrue(Cli.run("defrag", "-n", a.toString()).out().contains("Number of gaps:      0\n"));
        assertEquals(0, Cli.run("verify", "-q", a.toString()).code());
        assertFalse(before.equals(after));
    }

    @Test
    void reshardCutsTheShardsAtTheSizeGivenAndPrintsNothing() throws Exception {
        Path a = archive(tree("r", spread(40)));
        String before = files(a);
        Cli.Run r = Cli.run("reshard", "-s", "64", a.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out() + r.err());
        assertEquals(before, files(a));
        assertTrue(Files.exists(tmp.resolve("r.barecat-shard-00001")), "more than one shard");
        assertEquals(0, Cli.run("verify", "-q", a.toString()).code());
        ok("reshard", "--shard-size-limit=1G", a.toString());
        assertFalse(Files.exists(tmp.resolve("r.barecat-shard-00001")), "one shard again");
        assertEquals(before, files(a));

        Cli.Run large = Cli.run("reshard", "-s", "2", a.toString());
        assertEquals(1, large.code());
        assertTrue(large.err().matches("barecat: .*r\\.barecat: d\\d/f\\d+ \\(\\d+ bytes\\) is larger than the shard size limit"
                + " of 2 bytes; nothing changed\n"), large.err());
        Cli.Run missing = Cli.run("reshard", a.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("Missing required option: '--shard-size-limit=SIZE'"), missing.err());
    }

    @Test
    void indexToCsvAndToNcduJsonWriteTheOriginalsFormats() throws Exception {
        Path a = archive(tree("a", "x/\"q\".txt", "x/y/é.bin", "top"));
        Cli.Run csv = Cli.run("index-to-csv", a.toString());
        assertEquals(0, csv.code(), csv.err());
        String[] lines = csv.out().split("\r\n", -1);
        assertEquals("\"path\",\"shard\",\"offset\",\"size\",\"crc32c\"", lines[0]);
        assertTrue(lines[1].matches("\"top\",0,[0-9]+,8,[0-9]+"), lines[1]);
        assertTrue(lines[2].matches("\"x/\"\"q\"\".txt\",0,[0-9]+,20,[0-9]+"), lines[2]);
        assertTrue(lines[3].startsWith("\"x/y/é.bin\",0,"), lines[3]);
        assertEquals(5, lines.length, "CRLF after the last line too");

        Cli.Run ncdu = Cli.run("to-ncdu-json", a.toString());
        assertEquals(0, ncdu.code(), ncdu.err());
        String[] json = ncdu.out().split("\n");
        assertTrue(json[0].matches("\\[1,1,\\{\"progname\":\"barecat\",\"progver\":\"[0-9.]+\",\"timestamp\":[0-9]+\\.[0-9]+},"),
                json[0]);
        assertEquals("[ {\"name\": \"/\", \"asize\": 4096, \"ino\": 0}, {\"name\": \"top\", \"asize\": 8, \"dsize\": 8,"
                + " \"ino\": 0},", json[1]);
        assertEquals("[ {\"name\": \"y\", \"asize\": 4096, \"ino\": 0}, {\"name\": \"\\u00e9.bin\", \"asize\": 21, \"dsize\": 21,"
                + " \"ino\": 0}]]]]", json[3], "y, x, the root, then the export itself");
        TestTrees.exec(tmp, "python3", "-c", "import json,sys; json.loads(sys.argv[1])", ncdu.out());
    }

    @Test
    void upgradeBringsA02IndexTo03WithTheSameFilesAndKeepsTheOldOne() throws Exception {
        Path src = tree("src", "a/1.txt", "a/b/2.txt", "c/3.txt", "top");
        Path archive = tmp.resolve("old.barecat");
        IndependentWriter.run("write", src.toString(), archive.toString(), "--legacy-name", "--schema", "0.2",
                "--drop-dirs", "--gaps");
        Path index = tmp.resolve("old.barecat-sqlite-index");
        String before = files(archive);
        assertTrue(Cli.run("info", archive.toString()).out().contains("0.2"));

        Cli.Run r = Cli.run("upgrade", archive.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n", "Upgrading from 0.2 to 0.3...", "Creating new database with updated schema...",
                "Migrating dir metadata...", "Migrating file metadata...", "Replacing old database...",
                "Rebuilding directory tree statistics...", "Creating temporary tables for file counts",
                "Creating temporary tables for subdir counts", "Updating dirs table with treestats", "Upgrade complete.",
                ""), r.out());
        assertTrue(Files.exists(tmp.resolve("old.barecat-sqlite-index.old")), "the old index kept");
        assertFalse(Files.exists(archive), "the index keeps its legacy name");
        assertEquals(before, files(archive));
        assertTrue(Cli.run("info", archive.toString()).out().contains("0.3"));
        Cli.Run v = Cli.run("verify", "-q", archive.toString());
        assertEquals(0, v.code(), "statistics rebuilt, every checksum right: " + v.out() + v.err());
        assertEquals("Database is already at version 0.3, nothing to do.\n", Cli.run("upgrade", archive.toString()).out());
        assertEquals(0, Cli.run("rm", archive.toString(), "top").code(), "0.3 tools write to it");
        assertTrue(Files.size(index) > 0);
    }

    @Test
    void convertWrapsAnUncompressedTarOrZipWithoutCopyingAndWritesZipAndRootDirs() throws Exception {
        Path src = tree("src", "cats/1.jpg", "dogs/2.jpg");
        Path tar = tmp.resolve("d.tar");
        TestTrees.exec(tmp, "tar", "-C", src.toString(), "-cf", tar.toString(), ".");
        Path wrapped = tmp.resolve("w.barecat");
        Cli.Run r = Cli.run("convert", "--wrap", tar.toString(), wrapped.toString());
        assertEquals(0, r.code(), r.err());
        Path shard = tmp.resolve("w.barecat-shard-00000");
        assertEquals(tar.toAbsolutePath(), Files.readSymbolicLink(shard), "the shard is the tar itself");
        Path plain = tmp.resolve("p.barecat");
        assertEquals(0, Cli.run("convert", "-q", tar.toString(), plain.toString()).code());
        assertEquals(files(plain), files(wrapped));
        assertTrue(Cli.run("index-to-csv", wrapped.toString()).out().contains("\"cats/1.jpg\",0,1536,"
                + Files.size(src.resolve("cats/1.jpg")) + ",\"\"\r\n"), "the data after its 512-byte header, no checksum");
        assertEquals(0, Cli.run("verify", "-q", wrapped.toString()).code());
        Cli.Run rm = Cli.run("rm", wrapped.toString(), "cats/1.jpg");
        assertEquals(1, rm.code());
        assertEquals("barecat: " + wrapped + ": its shards are links to files it does not own (convert --wrap,"
                + " merge --symlink); it cannot be changed in place\n", rm.err());

        Path zip = tmp.resolve("o.zip");
        assertEquals(0, Cli.run("convert", "-q", "--root-dir", "top", plain.toString(), zip.toString()).code());
        String listing = TestTrees.exec(tmp, "unzip", "-Z1", zip.toString());
        assertEquals("top/cats/\ntop/cats/1.jpg\ntop/dogs/\ntop/dogs/2.jpg\n", listing);
        Path wrappedZip = tmp.resolve("wz.barecat");
        assertEquals(0, Cli.run("convert", "--wrap", zip.toString(), wrappedZip.toString()).code(), "stored entries");
        assertEquals(List.of("top/cats/1.jpg", "top/dogs/2.jpg"), paths(wrappedZip));
        assertEquals(Files.readString(src.resolve("dogs/2.jpg")), Cli.run("cat", wrappedZip.toString(), "top/dogs/2.jpg").out());

        Path gz = tmp.resolve("fake.tar");
        TestTrees.exec(tmp, "sh", "-c", "gzip -c d.tar > fake.tar");
        Cli.Run refused = Cli.run("convert", "--wrap", gz.toString(), tmp.resolve("g.barecat").toString());
        assertEquals(1, refused.code());
        assertEquals("barecat: " + gz + ": compressed (gzip); --wrap only works with uncompressed .tar or .zip files\n",
                refused.err());
        assertFalse(Files.exists(tmp.resolve("g.barecat")));
    }

    private static List<String> paths(Path archive) {
        return Arrays.stream(Cli.run("find", archive.toString(), "-type", "f").out().split("\n"))
                .filter(s -> !s.isEmpty()).sorted().toList();
    }
}
