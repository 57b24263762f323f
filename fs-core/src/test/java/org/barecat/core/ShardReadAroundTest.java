package org.barecat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
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
    void aSmallFileNotInThePageCacheComesWithItsBlockAndNothingElse() throws Exception {
        Path shard = tmp.resolve("x.barecat-shard-00000");
        long size = 8L * BLOCK;
        assumeTrue(IndexReadaheadTest.writeBypassingPageCache(shard, (int) size), "this file system takes no O_DIRECT writes");
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            ShardReadAround around = new ShardReadAround(new FileChannel[] {channel}, new long[] {size}, true);
            assertRead(around, true, 5L * BLOCK + 100, 2000);
            assertTrue(cached(channel, 5L * BLOCK, BLOCK), "the block around a small file not cached is read whole");
            assertFalse(cached(channel, 4L * BLOCK, BLOCK), "and not its neighbours");
            assertFalse(cached(channel, 6L * BLOCK, BLOCK));

            assertRead(around, false, 5L * BLOCK + 9000, 2000); // cached now: left to the caller
            assertRead(around, false, 3L * BLOCK + 100, ShardReadAround.SMALL + 1); // large: left to the caller
            assertEquals(1, around.blocksRead());
        }
    }

    @Test
    void theLastBlockEndsWithTheShardAndAShardThatDoesNotFitInMemoryIsNotReadAround() throws Exception {
        Path shard = tmp.resolve("x.barecat-shard-00000");
        long size = 4L * BLOCK - 4096;
        assumeTrue(IndexReadaheadTest.writeBypassingPageCache(shard, (int) size), "this file system takes no O_DIRECT writes");
        try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ)) {
            FileChannel[] shards = {channel};
            long[] sizes = {size};
            ShardReadAround tooLarge = new ShardReadAround(shards, sizes,
                    ShardReadAround.fitsInMemory(IndexReadahead.physicalMemory()));
            assertRead(tooLarge, false, 3L * BLOCK + 10, 100);
            assertFalse(cached(channel, 0, size), "shards as large as the memory: no reading around");

            ShardReadAround around = new ShardReadAround(shards, sizes, true);
            assertRead(around, false, size - 100, 200); // past the end: the caller reports the truncation
            assertRead(around, true, 2L * BLOCK - 1000, 3000); // a file across two blocks
            assertTrue(cached(channel, BLOCK, BLOCK + 2000));
            assertFalse(cached(channel, 2L * BLOCK + 4096, 4096));
            assertRead(around, true, 3L * BLOCK + 8000, 100);
            assertTrue(cached(channel, 3L * BLOCK, size - 3L * BLOCK), "the last block, up to the shard's end");
            assertEquals(2, around.blocksRead());
        }
    }

    /** Asserts that reading {@code length} bytes at {@code position} was done ({@code read}) or left to the caller. */
    private static void assertRead(ShardReadAround around, boolean read, long position, int length) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(length);
        assertEquals(read, around.read(0, position, dst), "read at " + position);
        if (read) {
            assertFalse(dst.hasRemaining());
            for (int i = 0; i < length; i++) {
                assertEquals(IndexReadaheadTest.byteAt(position + i), dst.get(i), "byte " + (position + i));
            }
        } else {
            assertEquals(length, dst.remaining(), "nothing read at " + position);
        }
    }

    private static boolean cached(FileChannel channel, long start, long length) throws Exception {
        return channel.map(FileChannel.MapMode.READ_ONLY, start, length).isLoaded();
    }
}
