package org.barecat.tools.verify;

import org.barecat.tools.Recorder;
import org.barecat.tools.WriterSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveVerifierTest {
    @TempDir
    Path tmp;

    @Test
    void verifierReportsEachKindOfDamageWithItsPath() throws Exception {
        Path archive = WriterSink.threeFiles(tmp.resolve("s.barecat"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + archive); Statement s = c.createStatement()) {
            s.execute("UPDATE config SET value_int = 0 WHERE key = 'use_triggers'");
            s.execute("UPDATE files SET crc32c = 1 WHERE path = 'a/one'");
            s.execute("UPDATE files SET offset = 18 WHERE path = 'three'");
            s.execute("INSERT INTO files (path, shard, offset, size) VALUES ('ghost', 7, 0, 1), ('../up', 0, 0, 1)");
            s.execute("UPDATE dirs SET num_files = 9 WHERE path = 'a/b'");
        }
        Recorder r = new Recorder();
        ArchiveVerifier.Report report = ArchiveVerifier.verify(archive, true, r);
        assertFalse(report.ok());
        String all = String.join("\n", r.problems);
        assertTrue(all.contains("a/one: CRC-32C mismatch: the index says 00000001"), all);
        assertTrue(all.contains("three: runs past the end of shard 1"), all);
        assertTrue(all.contains("ghost: in shard 7, which does not exist"), all);
        assertTrue(all.contains("../up: not a valid path"), all);
        assertTrue(all.contains("a/b: directory statistics wrong: num_files is 9, should be 1"), all);
        assertTrue(all.contains("(root): directory statistics wrong: num_files_tree is 3, should be 5"), all);
    }

}
