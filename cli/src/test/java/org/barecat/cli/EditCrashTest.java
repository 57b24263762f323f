package org.barecat.cli;

import org.barecat.core.Attributes;
import org.barecat.core.internal.IndexSchema;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.verify.ArchiveVerifier;
import org.barecat.tools.write.ArchiveEditor;
import org.barecat.tools.write.ArchiveWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rm}, {@code mv}, {@code add}, {@code merge -a}, {@code rsync}, {@code defrag} and {@code reshard} killed
 * by SIGKILL at seeded random moments leave the
 * archive either as it was or as the command makes it, never a mix, and it opens and passes verify
 * (every file's bytes checked against its CRC-32C).
 */
class EditCrashTest {
    private static final int KILLS = 50;
    @TempDir
    static Path tmp;
    static Path base;
    /** An archive of several shards with gaps, for defrag. */
    static Path fragmented;

    @BeforeAll
    static void build() throws IOException {
        fragmented = tmp.resolve("fragmented/f.barecat");
        Files.createDirectories(fragmented.getParent());
        Random random = new Random(7);
        try (ArchiveWriter w = ArchiveWriter.create(fragmented, 4 << 20, false)) {
            for (int f = 0; f < 5000; f++) {
                byte[] data = new byte[1000 + random.nextInt(5000)];
                random.nextBytes(data);
                w.add(String.format("d%02d/f%04d", f % 50, f), data, Attributes.NONE);
            }
        }
        try (ArchiveEditor e = ArchiveEditor.open(fragmented)) {
            for (int f = 3; f < 5000; f += 11) {
                e.remove(String.format("d%02d/f%04d", f % 50, f));
            }
            e.commit();
        }
        source = Files.createDirectories(tmp.resolve("source/new"));
        for (int f = 0; f < 3000; f++) {
            Files.writeString(source.resolve("f" + f), "new file " + f);
        }
        source = source.getParent();
        other = tmp.resolve("other/o.barecat");
        Files.createDirectories(other.getParent());
        try (ArchiveWriter w = ArchiveWriter.create(other)) {
            for (int f = 0; f < 5000; f++) {
                w.add("merged/" + f, ("other " + f).getBytes(StandardCharsets.UTF_8), Attributes.NONE);
            }
        }
        base = tmp.resolve("base/a.barecat");
        Files.createDirectories(base.getParent());
        try (ArchiveWriter w = ArchiveWriter.create(base)) {
            for (int d = 0; d < 200; d++) {
                for (int f = 0; f < 100; f++) {
                    String path = String.format("d%03d/s%d/f%03d", d, f % 3, f);
                    w.add(path, (path + " ").repeat(4).getBytes(StandardCharsets.UTF_8), Attributes.NONE);
                }
            }
        }
    }

    /** Files to add: a directory tree beside the archives. */
    static Path source;
    /** A second archive, to merge into the first. */
    static Path other;

    @ParameterizedTest(name = "barecat {0}")
    @CsvSource({"rm ARCHIVE d007 d100/s1 d150/s2/f002", "mv ARCHIVE d007 d150", "mv ARCHIVE d020/s0 renamed",
            "add -C SOURCE ARCHIVE new", "merge -a -o ARCHIVE OTHER", "rsync --delete SOURCE/ ARCHIVE::"})
    void killedAtAnyMomentTheArchiveIsTheOldOrTheNewOne(String command) throws Exception {
        killAtRandomMoments(base, command);
    }

    @org.junit.jupiter.api.Test
    void upgradeKilledAtAnyMomentLeavesTheOldIndexOrTheNewOne() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("legacy-src"));
        for (int f = 0; f < 4000; f++) {
            Path p = src.resolve("d" + f % 40 + "/f" + f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "legacy " + f);
        }
        Path legacy = tmp.resolve("legacy/l.barecat");
        Files.createDirectories(legacy.getParent());
        org.barecat.testing.IndependentWriter.run("write", src.toString(), legacy.toString(), "--legacy-name",
                "--schema", "0.2");
        killAtRandomMoments(legacy, "upgrade ARCHIVE");
    }

    @ParameterizedTest(name = "barecat {0}")
    @CsvSource({"defrag ARCHIVE", "defrag --quick ARCHIVE"})
    void defragKilledAtAnyMomentLeavesEveryFileAsItWas(String command) throws Exception {
        killAtRandomMoments(fragmented, command);
    }

    @ParameterizedTest(name = "barecat {0}")
    @CsvSource({"reshard -s 1M ARCHIVE", "reshard -s 64M ARCHIVE"})
    void reshardKilledAtAnyMomentLeavesEveryFileAsItWasAndTheNextOpenFinishesIt(String command) throws Exception {
        killAtRandomMoments(fragmented, command);
    }

    private static void killAtRandomMoments(Path base, String commandLine) throws Exception {
        String command = commandLine.substring(0, commandLine.indexOf(' '));
        String arguments = commandLine;
        Path done = copy(base, "done-" + command + arguments.hashCode());
        long t0 = System.nanoTime();
        Process whole = InterruptTest.start(args(command, done, arguments));
        whole.getOutputStream().close();
        assertEquals(0, whole.waitFor(), new String(whole.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        // the kills fall between the JVM's start (a command that does nothing takes that long) and the end
        long t1 = System.nanoTime();
        InterruptTest.start("--version").waitFor();
        long startMillis = Math.min(runMillis, (System.nanoTime() - t1) / 1_000_000);
        String before = state(base);
        String after = state(done);
        String layout = layout(done);
        if (command.equals("defrag") || command.equals("reshard")) {
            assertEquals(before, after, command + " changes no file");
            assertTrue(shardBytes(done) < shardBytes(base), command + " freed space");
        } else {
            assertNotEquals(before, after, "the command changed the archive");
        }

        Random random = new Random(20261206L + command.hashCode() + arguments.hashCode());
        int old = 0;
        int changed = 0;
        int moved = 0; // kills after which some bytes had moved (defrag)
        for (int i = 0; i < KILLS; i++) {
            Path archive = copy(base, "kill-" + command + arguments.hashCode() + "-" + i);
            Process p = InterruptTest.start(args(command, archive, arguments));
            Thread.sleep(startMillis / 2 + random.nextInt((int) (runMillis - startMillis / 2) + 1));
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            String state = state(archive);
            assertTrue(state.equals(before) || state.equals(after), "kill " + i + ": neither the old archive nor the new one");
            if (state.equals(before)) {
                old++;
            } else {
                changed++;
            }
            List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
            assertTrue(ArchiveVerifier.verify(archive, true, new ProgressListener() {
                @Override
                public void problem(String path, String message) {
                    problems.add(path + ": " + message);
                }
            }).ok(), "kill " + i + ": " + problems);
            if (shardBytes(archive) != shardBytes(base)) {
                moved++;
            }
            if (command.equals("reshard")) { // the next writer finishes or undoes it; then a rerun gives the same shards
                long limit = new SizeConverter().convert(arguments.split(" ")[2]);
                try (org.barecat.tools.write.Resharder r = org.barecat.tools.write.Resharder.open(archive)) {
                    r.reshard(limit);
                }
                assertEquals(layout, layout(archive), "kill " + i + ": rerun after the kill");
                assertEquals(before, state(archive), "kill " + i + ": rerun after the kill");
            }
            deleteTree(archive.getParent());
        }
        System.out.printf("barecat %s (%s): %d kills in a run of %d ms (%d of them starting): %d left the old archive, %d the new one;"
                + " after %d the shards had changed%n", command, arguments, KILLS, runMillis, startMillis, old,
                changed, moved);
    }

    /** The command line with ARCHIVE, SOURCE and OTHER replaced by their paths. */
    private static String[] args(String command, Path archive, String commandLine) {
        List<String> a = new ArrayList<>();
        for (String word : commandLine.split(" ")) {
            // also inside a word: rsync's SOURCE/ and ARCHIVE::
            a.add(word.replace("ARCHIVE", archive.toString()).replace("SOURCE", source.toString())
                    .replace("OTHER", other.toString()));
        }
        return a.toArray(String[]::new);
    }

    private static Path copy(Path base, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(base.getParent())) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir.resolve(base.getFileName());
    }

    /**
     * Every file and directory as a reader sees them (a reader rolls back what a killed writer left),
     * not where the bytes lie: defrag moves them, rm and mv do not.
     */
    private static String state(Path archive) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = IndexSchema.openReadOnly(org.barecat.core.ArchiveFiles.locate(archive).index());
             Statement s = c.createStatement()) {
            for (String q : new String[] {"SELECT path, size, crc32c FROM files ORDER BY path",
                    "SELECT path, num_subdirs, num_files, size_tree, num_files_tree FROM dirs ORDER BY path",
                    "SELECT key, value_int FROM config WHERE key LIKE 'schema_version%' ORDER BY key"}) {
                try (ResultSet rs = s.executeQuery(q)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            out.append(rs.getString(i)).append(i < n ? ' ' : '\n');
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    /** Where every file's bytes lie, and each shard's name and size. */
    private static String layout(Path archive) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = IndexSchema.openReadOnly(org.barecat.core.ArchiveFiles.locate(archive).index());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path, shard, offset FROM files ORDER BY path")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(' ').append(rs.getInt(2)).append(' ').append(rs.getLong(3)).append('\n');
            }
        }
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains("-shard-")).sorted().toList()) {
                out.append(f.getFileName()).append(' ').append(Files.size(f)).append('\n');
            }
        }
        return out.toString().replace(archive.getParent().getFileName().toString(), "");
    }

    private static long shardBytes(Path archive) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains("-shard-")).toList()) {
                total += Files.size(f);
            }
        }
        return total;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
