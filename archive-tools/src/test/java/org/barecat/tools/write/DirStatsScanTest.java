package org.barecat.tools.write;

import org.barecat.core.Archive;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DirStatsScanTest {
    @Test
    void dirStatsScanMatchesTheWritersStatistics(@TempDir Path tmp) throws Exception {
        Path archive = tmp.resolve("many.barecat");
        try (ArchiveWriter w = ArchiveWriter.create(archive)) {
            for (int i = 0; i < 5000; i++) {
                w.add("d" + (i % 13) + "/e" + (i % 7) + "/f-" + i, new byte[i % 50], Attributes.NONE);
            }
            w.add("d1.txt", new byte[3], Attributes.NONE);
            w.add("d1 x/y", new byte[4], Attributes.NONE);
        }
        List<DirStatsScan.Computed> computed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + archive)) {
            DirStatsScan.run(c, computed::add);
        }
        assertEquals(1 + 13 * 8 + 1, computed.size(), "every directory once");
        try (Archive a = Archive.open(archive)) {
            for (DirStatsScan.Computed d : computed) {
                DirStats s = ((DirEntry) a.lookup(d.path()).orElseThrow()).stats();
                assertEquals(new DirStats(s.numSubdirs(), d.numFiles(), d.numFilesTree(), d.sizeTree()), s, d.path());
            }
        }
    }

}
