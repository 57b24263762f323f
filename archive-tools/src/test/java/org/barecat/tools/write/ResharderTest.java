package org.barecat.tools.write;

import org.barecat.core.Archive;
import org.barecat.core.Attributes;
import org.barecat.core.FileEntry;
import org.barecat.tools.Recorder;
import org.barecat.tools.verify.ArchiveVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResharderTest {
    @TempDir
    Path tmp;

    /** Thrown where the run stops, as a kill would stop it (nothing after it runs, not even a clean-up). */
    private static final class Stop extends Error {
    }

    private final Map<String, byte[]> contents = new LinkedHashMap<>();

    @AfterEach
    void noStops() {
        Resharder.afterStep = () -> {
        };
    }

    /** Three shards of 4 KiB with gaps (every fifth file removed). */
    private Path fragmented(String name) throws IOException {
        Path archive = Files.createDirectories(tmp.resolve(name)).resolve("a.barecat");
        Random random = new Random(3);
        try (ArchiveWriter w = ArchiveWriter.create(archive, 4096, false)) {
            for (int f = 0; f < 60; f++) {
                byte[] data = new byte[50 + random.nextInt(300)];
                random.nextBytes(data);
                w.add("d" + f % 4 + "/f" + f, data, Attributes.NONE);
                contents.put("d" + f % 4 + "/f" + f, data);
            }
        }
        try (ArchiveEditor e = ArchiveEditor.open(archive)) {
            for (int f = 0; f < 60; f += 5) {
                e.remove("d" + f % 4 + "/f" + f);
                contents.remove("d" + f % 4 + "/f" + f);
            }
            e.commit();
        }
        return archive;
    }

    @Test
    void stoppedAfterAnyStepTheArchiveReadsRightAndTheNextWriterFinishesIt() throws Exception {
        for (long limit : new long[] {1000, 3000, 1 << 20}) {
            Path reference = fragmented("reference" + limit);
            int[] steps = {0};
            Resharder.afterStep = () -> steps[0]++;
            try (Resharder r = Resharder.open(reference)) {
                r.reshard(limit);
            }
            String layout = layout(reference);
            assertTrue(steps[0] > 4, "steps: " + steps[0]);
            readsEveryFile(reference);
            for (int stop = 0; stop < steps[0]; stop++) {
                Path archive = fragmented("stop" + limit + "-" + stop);
                int[] step = {0};
                int at = stop;
                Resharder.afterStep = () -> {
                    if (step[0]++ == at) {
                        throw new Stop();
                    }
                };
                Resharder r = Resharder.open(archive);
                assertThrows(Stop.class, () -> r.reshard(limit));
                r.close(); // what was not committed is rolled back, as after a kill
                Resharder.afterStep = () -> {
                };
                readsEveryFile(archive);
                try (ArchiveEditor e = ArchiveEditor.open(archive)) { // any writer finishes it
                    e.commit();
                }
                try (Resharder again = Resharder.open(archive)) {
                    again.reshard(limit);
                }
                assertEquals(layout, layout(archive), "stopped after step " + stop + " of " + steps[0]);
            }
        }
    }

    @Test
    void aFileLargerThanTheLimitChangesNothing() throws Exception {
        Path archive = fragmented("large");
        String before = layout(archive);
        try (Resharder r = Resharder.open(archive)) {
            IOException e = assertThrows(IOException.class, () -> r.reshard(300));
            assertTrue(e.getMessage().matches(".*a\\.barecat: d\\d/f\\d+ \\(3\\d\\d bytes\\) is larger than the shard size"
                    + " limit of 300 bytes; nothing changed"), e.getMessage());
        }
        assertEquals(before, layout(archive));
    }

    @Test
    void filesAlreadyInPlaceAreNotCopied() throws Exception {
        Path archive = fragmented("inplace");
        try (Resharder r = Resharder.open(archive)) {
            r.reshard(2000);
        }
        Object shard0 = Files.readAttributes(archive.resolveSibling("a.barecat-shard-00000"), "unix:ino").get("ino");
        try (Resharder r = Resharder.open(archive)) {
            r.reshard(2000);
        }
        assertEquals(shard0, Files.readAttributes(archive.resolveSibling("a.barecat-shard-00000"), "unix:ino").get("ino"),
                "the same layout again: no shard written");
        readsEveryFile(archive);
    }

    /** Every file reads back its bytes through fs-core, and verify finds no problem. */
    private void readsEveryFile(Path archive) throws IOException {
        try (Archive a = Archive.open(archive)) {
            for (var e : contents.entrySet()) {
                FileEntry f = (FileEntry) a.lookup(e.getKey()).orElseThrow();
                ByteBuffer b = ByteBuffer.allocate((int) f.size());
                a.read(f, 0, b);
                assertArrayEquals(e.getValue(), Arrays.copyOf(b.array(), b.position()), e.getKey());
            }
        }
        Recorder r = new Recorder();
        assertTrue(ArchiveVerifier.verify(archive, true, r).ok(), r.problems.toString());
    }

    /** Where every file lies, each shard's size, and the size limit. */
    private static String layout(Path archive) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = org.barecat.core.internal.IndexSchema.openReadOnly(archive);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT path, shard, offset FROM files ORDER BY path")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(' ').append(rs.getInt(2)).append(' ').append(rs.getLong(3)).append('\n');
            }
        }
        try (Connection c = org.barecat.core.internal.IndexSchema.openReadOnly(archive);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, value_int FROM config ORDER BY key")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(' ').append(rs.getLong(2)).append('\n');
            }
        }
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains("-shard-")).sorted().toList()) {
                out.append(f.getFileName()).append(' ').append(Files.size(f)).append('\n');
            }
        }
        return out.toString();
    }
}
