package org.barecat.it;

import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Damaged and hostile archives through a real mount. Rows no honest writer makes are written with
 * Python's sqlite3 into an index our writer made. Each case has one exact outcome: either
 * barecat-mount refuses with one line naming the file and the problem (exit 1), or only the
 * affected file fails (EIO) or is not there (ENOENT) while every good file keeps reading right from
 * the same daemon. Cases covered elsewhere: not an SQLite file, SQLite but not Barecat, and a missing
 * shard ({@link LauncherTest#refusesUnusableArchivesAndMountpointsWithOneLine}).
 */
class HostileArchiveTest {
    @TempDir
    static Path tmp;
    static Path source;
    /** A good archive: shard 0 holds good/..., then cut/first.bin, then cut/last.bin. */
    static Path pristine;
    /** The pristine archive with its shard cut inside cut/last.bin, and the hostile rows below. */
    static Path hostile;
    static Mount mount;

    @BeforeAll
    static void buildAndMount() throws IOException {
        Random random = new Random(6);
        source = TreeBuilder.directory(tmp.resolve("source"))
                .file("good/a.txt", "hello, world\n")
                .file("good/b.bin", Trees.randomBytes(random, 100_000))
                .file("good/sub/c.bin", Trees.randomBytes(random, 50_000))
                .file("cut/first.bin", Trees.randomBytes(random, 40_000))
                .file("cut/last.bin", Trees.randomBytes(random, 40_000))
                .build();
        pristine = Files.createDirectory(tmp.resolve("pristine")).resolve("a.barecat");
        Launchers.barecat("create", "-C", source.toString(), pristine.toString(), "good", "cut/first.bin",
                "cut/last.bin").ok();

        hostile = copy(pristine, "hostile");
        long lastOffset = Long.parseLong(Sql.query(hostile, "SELECT offset FROM files WHERE path = 'cut/last.bin'").trim());
        long shardLength = lastOffset + 20_000;
        try (RandomAccessFile shard = new RandomAccessFile(shard0(hostile).toFile(), "rw")) {
            shard.setLength(shardLength);
        }
        String tooLong = "n".repeat(256);
        Sql.exec(hostile, String.join("\n",
                "INSERT INTO files (path, shard, offset, size) VALUES",
                "  ('bad/neg-offset', 0, -1, 3), ('bad/neg-size', 0, 0, -5), ('bad/neg-shard', -1, 0, 3),",
                "  ('bad/overflow', 0, 9223372036854775800, 100), ('bad/past-end', 0, " + (shardLength - 2) + ", 100),",
                "  ('bad/text-offset', 0, 'abc', 3),",
                "  ('../escape', 0, 0, 3), ('./dot', 0, 0, 3), ('bad/./x', 0, 0, 3), ('/etc/abs', 0, 0, 3),",
                "  ('bad//x', 0, 0, 3), ('bad/nul' || char(0) || 'x', 0, 0, 3), ('bad/" + tooLong + "', 0, 0, 3),",
                "  ('', 0, 0, 3), ('" + tooLong + "/under', 0, 0, 3),",
                "  ('both', 0, 0, 5), ('both/inner', 0, 0, 3);",
                "INSERT INTO dirs (path, num_subdirs, num_files, num_files_tree, size_tree)",
                "  VALUES ('both', 1, 1, 1, 3), ('ghost', 7, 1000, 1000, 123456789);"));
        mount = Mount.of(hostile);
    }

    @AfterAll
    static void unmount() {
        if (mount != null) {
            mount.close();
        }
    }

    private static Path copy(Path archive, String dirName) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(dirName));
        Files.copy(archive, dir.resolve(archive.getFileName()));
        Files.copy(shard0(archive), shard0(dir.resolve(archive.getFileName())));
        return dir.resolve(archive.getFileName());
    }

    private static Path shard0(Path archive) {
        return archive.resolveSibling(archive.getFileName() + "-shard-00000");
    }

    /** After every case: the same daemon still serves every good file byte for byte. */
    @AfterEach
    void goodFilesStillReadExactly() throws IOException {
        Programs.run("diff", "-r", source.resolve("good").toString(), mount.path("good").toString()).ok();
        assertArrayEquals(Files.readAllBytes(source.resolve("cut/first.bin")), Files.readAllBytes(mount.path("cut/first.bin")));
    }

    /** Runs a command in the mount expecting it to fail; returns its stderr. */
    private static String failing(String script) {
        Programs.Result r = Programs.sh(mount.point, script);
        assertNotEquals(0, r.exit(), script + ": " + r.stderr());
        return r.stderr();
    }

    private static void assertInputOutputError(String path) {
        assertEquals("cat: " + path + ": Input/output error\n", failing("cat " + path + " > /dev/null"));
        assertEquals("stat: cannot statx '" + path + "': Input/output error\n", failing("stat " + path));
    }

    @Test
    void truncatedShardFailsOnlyTheFileCutByItsEnd() {
        assertInputOutputError("cut/last.bin");
        assertEquals("first.bin\nlast.bin\n", Programs.run("ls", mount.path("cut").toString()).ok().out());
    }

    @Test
    void rowRunningPastItsShardOrOverflowingFailsOnlyThatFile() {
        assertInputOutputError("bad/past-end");
        assertInputOutputError("bad/overflow");
    }

    @Test
    void negativeOffsetSizeOrShardFailsOnlyThatFile() {
        assertInputOutputError("bad/neg-offset");
        assertInputOutputError("bad/neg-size");
        assertInputOutputError("bad/neg-shard");
    }

    @Test
    void nonIntegerOffsetFailsOnlyThatFile() {
        assertInputOutputError("bad/text-offset");
    }

    @Test
    void pathsWithDotDotDotEmptyComponentsLeadingSlashNulOrLongNamesNeverShow() {
        assertEquals("bad\nboth\ncut\nghost\ngood\n", Programs.run("ls", "-A", mount.point.toString()).ok().out());
        assertEquals("neg-offset\nneg-shard\nneg-size\noverflow\npast-end\ntext-offset\n",
                Programs.run("ls", "-A", mount.path("bad").toString()).ok().out());
        assertEquals("ls: cannot access 'etc': No such file or directory\n", failing("ls etc"));
        assertFalse(Programs.sh(mount.point, "find . -name escape -o -name dot -o -name abs -o -name under").ok().out()
                .contains("/"), "none of them anywhere in the tree");
    }

    @Test
    void pathThatIsBothFileAndDirectoryShowsOnceAsTheFile() {
        assertEquals("both\n", Programs.sh(mount.point, "ls -A | grep -x both").ok().out());
        assertEquals("regular file 5\n", Programs.run("stat", "-c", "%F %s", mount.path("both").toString()).ok().out());
        byte[] expected = java.util.Arrays.copyOf(Programs.run("head", "-c", "5", shard0(hostile).toString()).ok().stdout(), 5);
        assertArrayEquals(expected, Programs.run("cat", mount.path("both").toString()).ok().stdout());
        assertEquals("ls: cannot access 'both/inner': Not a directory\n", failing("ls both/inner"));
    }

    @Test
    void dirsRowWithNoFilesIsAnEmptyDirectoryWhateverItsStatisticsSay() {
        assertEquals("directory\n", Programs.run("stat", "-c", "%F", mount.path("ghost").toString()).ok().out());
        assertEquals("", Programs.run("ls", "-A", mount.path("ghost").toString()).ok().out());
    }

    // ---------------------------------------------------------------- refused at mount time

    /**
     * A copy of the pristine archive in DIR/, changed by {@code sql}, is refused by barecat-mount with
     * one line naming {@code file} (below DIR/) and {@code problem}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            a newer schema version | newer | UPDATE config SET value_int = 1 WHERE key = 'schema_version_major'; \
                | a.barecat | unsupported Barecat schema version 1.x (this reader knows 0.x)
            a shard number with no shard file | far | INSERT INTO files (path, shard, offset, size) VALUES ('far', 3, 0, 1); \
                | a.barecat-shard-00001 | missing shard (the index has files up to shard 3)
            a shard number beyond 32 bits, not read as shard 0 | wraps \
                | INSERT INTO files (path, shard, offset, size) VALUES ('w', 4294967296, 0, 5); \
                | a.barecat-shard-00001 | missing shard (the index has files up to shard 4294967296)
            duplicate paths | duplicates \
                | DROP INDEX idx_files_path; INSERT INTO files (path, shard, offset, size) VALUES ('good/a.txt', 0, 0, 13); \
                | a.barecat | duplicate path 'good/a.txt' (2 rows in table files)
            """)
    void isRefusedAtMount(String damage, String dir, String sql, String file, String problem) throws IOException {
        Path archive = copy(pristine, dir);
        Sql.exec(archive, sql);
        assertEquals("barecat-mount: " + tmp.resolve(dir).resolve(file) + ": " + problem,
                Launchers.refusedMount(archive, Files.createTempDirectory(tmp, "mnt-refused-")), damage);
    }
}
