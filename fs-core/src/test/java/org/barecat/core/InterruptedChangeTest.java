package org.barecat.core;

import org.barecat.core.internal.IndexSchema;
import org.barecat.testing.RawIndexes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An index left by a writer killed in the middle of its commit (the index half-written, the journal
 * beside it) is read as it was before the change, not half-changed.
 */
class InterruptedChangeTest {
    @Test
    void aChangeInterruptedMidCommitIsRolledBackBeforeReading(@TempDir Path tmp) throws Exception {
        Path index = tmp.resolve("a.barecat");
        try (Connection c = RawIndexes.legacyIndex(index)) {
            c.setAutoCommit(false);
            for (int i = 0; i < 5000; i++) {
                RawIndexes.insertFile(c, String.format("d/f%05d", i), 0, 0, 0);
            }
            c.commit();
        }
        Files.write(tmp.resolve("a.barecat-shard-00000"), new byte[0]);

        // a change big enough to spill into the index file before its commit: the moment a crash leaves
        Path crashed = Files.createDirectory(tmp.resolve("crashed")).resolve("a.barecat");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + index);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA cache_size = 8");
            c.setAutoCommit(false);
            s.execute("DELETE FROM files WHERE path > 'd/f00100'");
            Files.copy(index, crashed);
            Files.copy(IndexSchema.journalOf(index), IndexSchema.journalOf(crashed));
            Files.copy(tmp.resolve("a.barecat-shard-00000"), crashed.resolveSibling("a.barecat-shard-00000"),
                    StandardCopyOption.REPLACE_EXISTING);
            c.rollback();
        }
        assertTrue(IndexSchema.hasInterruptedChange(crashed), "the copy has a journal to roll back");
        assertFalse(Files.readAllBytes(crashed).length == 0);

        try (Archive archive = Archive.open(crashed)) {
            int n = 0;
            for (var listing = archive.list("d"); listing.hasNext(); listing.next()) {
                n++;
            }
            assertEquals(5000, n, "the files as they were before the change");
        }
        assertFalse(IndexSchema.hasInterruptedChange(crashed), "rolled back");
    }
}
