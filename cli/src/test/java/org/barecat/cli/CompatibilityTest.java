package org.barecat.cli;

import org.barecat.testing.IndependentWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives from an independent writer (a Python stdlib sqlite3 script written from FORMAT.md) behave
 * like ours, and ours have the schema FORMAT.md describes, with triggers other programs rely on.
 */
class CompatibilityTest {
    @TempDir
    Path tmp;

    @Test
    void legacyArchiveWithoutTriggersMissingRowsAndGapsListsVerifiesAndExtractsLikeOurs() throws Exception {
        Path src = tmp.resolve("src");
        Path theirs = tmp.resolve("theirs.barecat");
        IndependentWriter.run("build", src.toString(), theirs.toString());
        assertTrue(Files.exists(tmp.resolve("theirs.barecat-sqlite-index")));
        assertFalse(Files.exists(theirs), "the legacy index name only");
        Path ours = tmp.resolve("ours.barecat");
        assertEquals(0, Cli.run("create", "-q", "-C", src.toString(), ours.toString(), ".").code());

        for (Path archive : List.of(theirs, ours)) {
            Cli.Run v = Cli.run("verify", "-q", archive.toString());
            assertEquals(0, v.code(), archive + ": " + v.out() + v.err());
            assertTrue(v.out().endsWith(": OK: 8 files, 27291 bytes checksummed\n"), v.out());
        }
        for (String[] command : List.of(new String[] {"ls", "-R"}, new String[] {"find", "-type", "f"},
                new String[] {"du", "-b"})) {
            assertEquals(sorted(run(command, ours)), sorted(run(command, theirs)), String.join(" ", command));
        }
        assertEquals("8 directories, 8 files", last(run(new String[] {"tree"}, theirs)));
        assertEquals("8 directories, 8 files", last(run(new String[] {"tree"}, ours)));
        assertEquals(Cli.run("cat", ours.toString(), "data/train/cat/001.jpg", "notes/日本語/ファイル.txt").out(),
                Cli.run("cat", theirs.toString(), "data/train/cat/001.jpg", "notes/日本語/ファイル.txt").out());

        Map<String, String> expected = TestTrees.describe(src);
        for (Path archive : List.of(theirs, ours)) {
            Path out = tmp.resolve("out-" + archive.getFileName());
            Cli.Run x = Cli.run("extract", "-q", archive.toString(), "-C", out.toString());
            assertEquals(0, x.code(), x.err());
            Map<String, String> got = TestTrees.describe(out);
            assertEquals(files(expected), files(got), archive.toString());
        }
        Path tar = tmp.resolve("theirs.tar");
        assertEquals(0, Cli.run("convert", "-q", theirs.toString(), tar.toString()).code());
        String listing = TestTrees.exec(tmp, "tar", "-tf", tar.toString());
        assertTrue(listing.contains("data/val/name with spaces & 'quotes' %#.txt\n"), listing);
        assertTrue(listing.contains("notes/日本語/ファイル.txt\n"), listing);
    }

    private static List<String> run(String[] command, Path archive) {
        String[] args = new String[command.length + 1];
        args[0] = command[0];
        args[1] = archive.toString();
        System.arraycopy(command, 1, args, 2, command.length - 1);
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), r.err());
        return TestTrees.lines(r.out());
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    /** Files only: directories without a row in the independent archive get default modes when extracted. */
    private static Map<String, String> files(Map<String, String> tree) {
        Map<String, String> out = new java.util.TreeMap<>(tree);
        out.values().removeIf(v -> v.startsWith("d "));
        return out;
    }

    @Test
    void ourArchivesHaveTheFormatSchemaAndKeepStatisticsWhenAnotherProgramEditsThem() throws Exception {
        Path src = TestTrees.sample(tmp.resolve("src"));
        Path ours = tmp.resolve("ours.barecat");
        assertEquals(0, Cli.run("create", "-q", "-s", "50K", "-C", src.toString(), ours.toString(), ".").code());
        String schema = IndependentWriter.run("schema", ours.toString());
        for (String fact : List.of(
                "\"dirs\": [[\"path\", 0], [\"parent\", 2], [\"num_subdirs\", 0], [\"num_files\", 0], "
                        + "[\"num_files_tree\", 0], [\"size_tree\", 0], [\"mode\", 0], [\"uid\", 0], [\"gid\", 0], "
                        + "[\"mtime_ns\", 0]]",
                "\"files\": [[\"path\", 0], [\"parent\", 2], [\"shard\", 0], [\"offset\", 0], [\"size\", 0], "
                        + "[\"crc32c\", 0], [\"mode\", 0], [\"uid\", 0], [\"gid\", 0], [\"mtime_ns\", 0]]",
                "[\"idx_dirs_parent\", \"dirs\", 0], [\"idx_dirs_path\", \"dirs\", 1], [\"idx_files_parent\", \"files\", 0], "
                        + "[\"idx_files_path\", \"files\", 1], [\"idx_files_shard_offset\", \"files\", 0]",
                "\"idx_files_shard_offset\": [\"shard\", \"offset\"]",
                "\"config\": {\"schema_version_major\": 0, \"schema_version_minor\": 3, \"shard_size_limit\": 51200, "
                        + "\"use_triggers\": 1}",
                "\"triggers\": [\"add_file\", \"add_subdir\", \"del_file\", \"del_subdir\", \"move_file\", \"move_subdir\", "
                        + "\"prevent_dir_as_file\", \"prevent_file_as_dir\", \"resize_dir\", \"resize_file\"]")) {
            assertTrue(schema.contains(fact), fact + " in " + schema);
        }
        String before = Cli.run("du", "-sb", ours.toString()).out();
        assertEquals("100018\t.\n", before);
        IndependentWriter.run("edit", ours.toString()); // adds later/added.txt (25 bytes), deletes a/b/hello.txt (6)
        Cli.Run v = Cli.run("verify", "-q", ours.toString());
        assertEquals(0, v.code(), v.out());
        assertEquals("100037\t.\n", Cli.run("du", "-sb", ours.toString()).out());
        assertEquals("added by another program\n", Cli.run("cat", ours.toString(), "later/added.txt").out());
        // and we can append to what the other program left
        Path more = TestTrees.file(tmp.resolve("more"), "later/second.txt", "2nd\n", 0644, 1L).getParent().getParent();
        assertEquals(0, Cli.run("add", "-q", "-C", more.toString(), ours.toString(), "later/second.txt").code());
        assertEquals(0, Cli.run("verify", "-q", ours.toString()).code());
        assertEquals(List.of("added.txt", "second.txt"), TestTrees.lines(Cli.run("ls", ours.toString(), "later").out()));
    }

    @Test
    void addingToAnArchiveWithoutTriggersRebuildsItsStatistics() throws Exception {
        Path src = tmp.resolve("src");
        Path theirs = tmp.resolve("theirs.barecat");
        IndependentWriter.run("build", src.toString(), theirs.toString());
        Path more = TestTrees.file(tmp.resolve("more"), "data/new/x.bin", "x".repeat(20_000), 0644, 1L)
                .getParent().getParent().getParent();
        Cli.Run add = Cli.run("add", "-q", "-C", more.toString(), theirs.toString(), "data/new");
        assertEquals(0, add.code(), add.err());
        assertTrue(Files.exists(tmp.resolve("theirs.barecat-shard-00004")), "over the archive's 12000-byte limit");
        Cli.Run v = Cli.run("verify", "-q", theirs.toString());
        assertEquals(0, v.code(), v.out());
        assertEquals("", v.err(), "missing directory rows were completed");
        assertEquals("47291\t.\n", Cli.run("du", "-sb", theirs.toString()).out());
    }
}
