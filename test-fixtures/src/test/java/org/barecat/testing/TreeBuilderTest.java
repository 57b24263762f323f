package org.barecat.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The builder's two own sinks: a directory with the modes and mtimes asked for, an archive with right statistics. */
class TreeBuilderTest {
    @TempDir
    Path tmp;

    private static long mtimeNs(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.NANOSECONDS);
    }

    private static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void directoryGetsContentsModesMtimesAndLinksDirectoriesLast() throws IOException {
        Path root = SampleTrees.small(TreeBuilder.directory(tmp.resolve("src")))
                .dir("a").mtimeNs(1_500_000_000_000_000_001L) // set before its children are made
                .file("a/later.txt", "later")
                .symlink("a/link", "later.txt")
                .dir("").mode(0750)
                .build();
        assertArrayEquals(Bytes.bytes("123456789"), Files.readAllBytes(root.resolve("top.txt")));
        assertEquals(0640, mode(root.resolve("top.txt")));
        assertEquals(1_700_000_000_123_456_789L, mtimeNs(root.resolve("top.txt")));
        assertEquals(0700, mode(root.resolve("a/emptydir")));
        assertEquals(1_500_000_000_000_000_001L, mtimeNs(root.resolve("a")), "kept though children came after");
        assertEquals("later.txt", Files.readSymbolicLink(root.resolve("a/link")).toString());
        assertEquals(0750, mode(root));
        assertEquals(0, Files.size(root.resolve("a/empty")));
    }

    @Test
    void archiveHasShardsByLimitAndDirectoryStatistics() throws Exception {
        Path archive = SampleTrees.threeFiles(TreeBuilder.archive(tmp.resolve("t.barecat"), 16)).build();
        assertEquals(16, Files.size(tmp.resolve("t.barecat-shard-00000")));
        assertEquals(3, Files.size(tmp.resolve("t.barecat-shard-00001")));
        assertEquals(List.of("|1|1|3|19", "a|1|1|2|16", "a/b|0|1|1|6"), rows(archive,
                "SELECT path, num_subdirs, num_files, num_files_tree, size_tree FROM dirs ORDER BY path"));
        assertEquals(List.of("a/b/two|0|10|6|1404891121", "a/one|0|0|10|671876766", "three|1|0|3|623077509"),
                rows(archive, "SELECT path, shard, offset, size, crc32c FROM files ORDER BY path"));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> TreeBuilder.archive(archive));
        assertThrows(IllegalArgumentException.class, () -> TreeBuilder.archive(tmp.resolve("u.barecat")).file("a/../b", "x").build());
    }

    private static List<String> rows(Path index, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder(rs.getString(1));
                for (int i = 2; i <= n; i++) {
                    row.append('|').append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
