package org.barecat.fuse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InodesTest {
    /** The same function over the UTF-8 bytes, written the obvious way. */
    private static long reference(String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        h &= Long.MAX_VALUE;
        return h <= 1 ? h + 2 : h;
    }

    @Test
    void hashesTheUtf8BytesOfEveryKindOfName() {
        for (String p : List.of("a", "train/cat/001.jpg", "é/ñ", "日本語/ファイル", "emoji🐱/x", "x".repeat(255), "€uro")) {
            assertEquals(reference(p), Inodes.of(p), p);
        }
    }

    @Test
    void aChildHashedFromItsDirectorysStateIsHashedAsItsWholePath() {
        for (String dir : List.of("", "train/cat", "日本語", "emoji🐱")) {
            byte[] prefix = (dir.isEmpty() ? "" : dir + "/").getBytes(StandardCharsets.UTF_8);
            long state = Inodes.state(prefix);
            for (String name : List.of("a", "001.jpg", "ファイル", "🐱", "x".repeat(255))) {
                String path = dir.isEmpty() ? name : dir + "/" + name;
                assertEquals(Inodes.of(path), Inodes.of(state, path.getBytes(StandardCharsets.UTF_8), prefix.length), path);
            }
        }
    }

    @Test
    void rootIsOneAndOthersAreDistinctAndAboveIt() {
        assertEquals(1, Inodes.of(""));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            long ino = Inodes.of("d" + (i % 100) + "/f" + i + ".jpg");
            assertTrue(ino > 1);
            assertTrue(seen.add(ino), "collision at " + i);
        }
    }

    @Test
    void isStableAcrossReleases() {
        // Inode numbers are visible to users (tar, rsync, find -inum): changing the function is a breaking change.
        assertEquals(reference("train/cat/001.jpg"), Inodes.of("train/cat/001.jpg"));
        assertEquals(8301243804663794260L, Inodes.of("circle/circle_0001.jpg"));
    }
}
