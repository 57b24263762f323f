package org.barecat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ShardReadAroundTest {
    private static final int BLOCK = ShardReadAround.BLOCK;

    @TempDir
    Path tmp;

    @Test
    void aSmallReadThatWaitedBringsItsBlockIntoThePageCacheAndNothingElse() throws Exception {
        Path shard = tmp.resolve("x.barecat-shard-00000");
        assumeTrue(IndexReadaheadTest.writeBypassingPageCache(shard, 8 * BLOCK), "this file system takes no O_DIRECT writes");
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ);
             ShardReadAround around = new ShardReadAround(new FileChannel[] {channel}, true)) {
            around.afterRead(0, 2L * BLOCK + 100, 2000, ShardReadAround.MISS_NS - 1);
            around.afterRead(0, 3L * BLOCK + 100, ShardReadAround.SMALL + 1, ShardReadAround.MISS_NS * 10);
            around.afterRead(0, 5L * BLOCK + 100, 2000, ShardReadAround.MISS_NS);
            around.afterRead(0, 5L * BLOCK + 9000, 2000, ShardReadAround.MISS_NS);
            waitFor(around, 1);
            assertTrue(cached(channel, 5L * BLOCK), "the block around a small read that waited is read whole");
            assertFalse(cached(channel, 2L * BLOCK), "a fast read (the file was cached) reads nothing around");
            assertFalse(cached(channel, 3L * BLOCK), "a large read reads nothing around");
            assertFalse(cached(channel, 4L * BLOCK), "nor does a block's neighbour");
            Thread.sleep(100);
            assertEquals(1, around.blocksRead(), "a block asked for twice in a row is read once");
        }
    }

    @Test
    void theLastBlockEndsWithTheShardAndAShardThatDoesNotFitInMemoryIsNotReadAround() throws Exception {
        Path shard = tmp.resolve("x.barecat-shard-00000");
        long size = 2L * BLOCK - 4096;
        assumeTrue(IndexReadaheadTest.writeBypassingPageCache(shard, (int) size), "this file system takes no O_DIRECT writes");
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            try (ShardReadAround around = new ShardReadAround(new FileChannel[] {channel},
                    IndexReadahead.physicalMemory())) {
                around.afterRead(0, BLOCK + 10, 100, ShardReadAround.MISS_NS);
                Thread.sleep(100);
                assertEquals(0, around.blocksRead(), "shards as large as the memory: no reading around");
            }
            try (ShardReadAround around = new ShardReadAround(new FileChannel[] {channel}, true)) {
                around.afterRead(0, BLOCK + 10, 100, ShardReadAround.MISS_NS);
                waitFor(around, 1);
                assertTrue(cached(channel, BLOCK, size - BLOCK), "the last block, up to the shard's end");
                assertFalse(cached(channel, 0, BLOCK));
            }
        }
    }

    private static void waitFor(ShardReadAround around, long blocks) throws InterruptedException {
        for (int i = 0; i < 500 && around.blocksRead() < blocks; i++) {
            Thread.sleep(10);
        }
        assertEquals(blocks, around.blocksRead());
    }

    private static boolean cached(FileChannel channel, long start) throws Exception {
        return cached(channel, start, BLOCK);
    }

    private static boolean cached(FileChannel channel, long start, long length) throws Exception {
        return channel.map(FileChannel.MapMode.READ_ONLY, start, length).isLoaded();
    }
}
