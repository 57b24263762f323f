package org.barecat.tools.write;

import org.barecat.core.Archive;
import org.barecat.core.Attributes;
import org.barecat.core.InvalidArchivePathException;
import org.barecat.core.internal.SqliteLibrary;
import org.barecat.tools.Recorder;
import org.barecat.tools.verify.ArchiveVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveEditorTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> BEFORE = new LinkedHashMap<>();
    static {
        BEFORE.put("a/one", "0123456789");
        BEFORE.put("a/b/two", "abcdef");
        BEFORE.put("a/b/x/deep", "deep deep");
        BEFORE.put("c/keep", "k");
        BEFORE.put("d/e/f/g", "gone");
        BEFORE.put("d/h", "gone too");
        BEFORE.put("three", "xyz");
    }

    private Path write(String name, Map<String, String> files, boolean triggers, String... emptyDirs)
            throws IOException, SQLException {
        Path archive = tmp.resolve(name);
        try (ArchiveWriter w = ArchiveWriter.create(archive, 16, false)) {
            w.addDirectory("c/empty", Attributes.NONE);
            for (String d : emptyDirs) {
                w.addDirectory(d, Attributes.NONE);
            }
            for (var e : files.entrySet()) {
                w.add(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), Attributes.NONE);
            }
        }
        if (!triggers) {
            sql(archive, "UPDATE config SET value_int = 0 WHERE key = 'use_triggers'");
        }
        return archive;
    }

    @ParameterizedTest(name = "triggers on: {0}")
    @ValueSource(booleans = {true, false})
    void removingAndRenamingGiveTheIndexThatWritingTheResultAnewGives(boolean triggers) throws Exception {
        Path edited = write("edited.barecat", BEFORE, triggers);
        try (ArchiveEditor e = ArchiveEditor.open(edited)) {
            e.remove("a/one");
            e.remove("d/");
            assertEquals("c/b", e.move("a/b", "c"));
            assertEquals("t3", e.move("three", "t3"));
            e.commit();
        }
        Map<String, String> after = new LinkedHashMap<>();
        after.put("c/b/two", "abcdef");
        after.put("c/b/x/deep", "deep deep");
        after.put("c/keep", "k");
        after.put("t3", "xyz");
        Path fresh = write("fresh.barecat", after, triggers, "a"); // a stays, empty

        assertEquals(query(fresh, "SELECT path, size, crc32c FROM files ORDER BY path"),
                query(edited, "SELECT path, size, crc32c FROM files ORDER BY path"));
        assertEquals(query(fresh, "SELECT path, num_subdirs, num_files, size_tree, num_files_tree FROM dirs ORDER BY path"),
                query(edited, "SELECT path, num_subdirs, num_files, size_tree, num_files_tree FROM dirs ORDER BY path"));
        assertEquals(triggers ? "1" : "0", query(edited, "SELECT value_int FROM config WHERE key = 'use_triggers'").trim(),
                "the triggers are as they were");
        Recorder r = new Recorder();
        assertTrue(ArchiveVerifier.verify(edited, true, r).ok(), r.problems.toString());
    }

    @Test
    void whatCannotBeDoneIsRefusedAndNothingChangesUntilTheCommit() throws Exception {
        Path archive = write("s.barecat", BEFORE, true);
        String files = query(archive, "SELECT path, shard, offset, size FROM files ORDER BY path");
        String dirs = query(archive, "SELECT * FROM dirs ORDER BY path");
        try (ArchiveEditor e = ArchiveEditor.open(archive)) {
            assertThrows(NoSuchFileException.class, () -> e.remove("nothere"));
            assertThrows(NoSuchFileException.class, () -> e.move("nothere", "x"));
            assertThrows(NoSuchFileException.class, () -> e.move("three", "no/such/dir"));
            assertThrows(FileAlreadyExistsException.class, () -> e.move("three", "c/keep"));
            assertThrows(IOException.class, () -> e.move("a", "a/b"));
            assertThrows(InvalidArchivePathException.class, () -> e.remove("/"));
            assertThrows(InvalidArchivePathException.class, () -> e.move("a/../three", "x"));
            e.remove("a");
            e.move("three", "c");
        } // closed without a commit
        assertEquals(files, query(archive, "SELECT path, shard, offset, size FROM files ORDER BY path"));
        assertEquals(dirs, query(archive, "SELECT * FROM dirs ORDER BY path"));
    }

    @Test
    void anArchiveThatIsOpenForReadingIsNotChanged() throws Exception {
        Path archive = write("s.barecat", BEFORE, true);
        try (Archive reading = Archive.open(archive)) {
            IOException e = assertThrows(IOException.class, () -> ArchiveEditor.open(archive));
            assertEquals(archive + ": the archive is mounted or open in another program; unmount it"
                    + " (fusermount -u MOUNTPOINT) or close that program first", e.getMessage());
            assertThrows(IOException.class, () -> ArchiveAppender.open(archive, ArchiveAppender.Existing.FAIL));
        }
        try (ArchiveEditor e = ArchiveEditor.open(archive)) {
            e.remove("three");
            e.commit();
        }
        assertEquals("", query(archive, "SELECT path FROM files WHERE path = 'three'"));
    }

    private static void sql(Path archive, String statement) throws SQLException {
        try (Connection c = SqliteLibrary.connect("jdbc:sqlite:" + archive, new Properties());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String query(Path archive, String select) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = SqliteLibrary.connect("jdbc:sqlite:" + archive, new Properties());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.append(rs.getString(i)).append(i < n ? " " : "\n");
                }
            }
        }
        return out.toString();
    }
}
