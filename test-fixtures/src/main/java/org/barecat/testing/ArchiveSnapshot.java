package org.barecat.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes of an archive's index and shards at one moment, to check that a write that failed, was
 * aborted or was stopped left the archive as it was: the same index, the same shards (cut back to
 * where they ended), no new shard.
 */
public final class ArchiveSnapshot {
    private final Path index;
    private final byte[] indexBytes;
    private final Map<String, byte[]> shards;

    private ArchiveSnapshot(Path index, byte[] indexBytes, Map<String, byte[]> shards) {
        this.index = index;
        this.indexBytes = indexBytes;
        this.shards = shards;
    }

    /** The archive whose index is {@code index} ({@code data.barecat}, its shards beside it), as it is now. */
    public static ArchiveSnapshot of(Path index) throws IOException {
        return new ArchiveSnapshot(index, Files.readAllBytes(index), shards(index));
    }

    /** Fails unless the index and the shards have the bytes they had, and no shard was added or removed. */
    public void assertUnchanged() throws IOException {
        assertTrue(Arrays.equals(indexBytes, Files.readAllBytes(index)), index + ": the index is as it was");
        Map<String, byte[]> now = shards(index);
        assertEquals(shards.keySet(), now.keySet(), "the same shards");
        shards.forEach((name, bytes) -> assertTrue(Arrays.equals(bytes, now.get(name)),
                name + ": the shard is as it was (" + bytes.length + " bytes, now " + now.get(name).length + ")"));
    }

    private static Map<String, byte[]> shards(Path index) throws IOException {
        Map<String, byte[]> shards = new TreeMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(index.toAbsolutePath().getParent(),
                index.getFileName() + "-shard-*")) {
            for (Path shard : s) {
                shards.put(shard.getFileName().toString(), Files.readAllBytes(shard));
            }
        }
        return shards;
    }
}
