package org.barecat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IndexReadaheadTest {
    @TempDir
    Path tmp;

    @Test
    void onlyASlowQueryStartsAPassAndPassesKeepTheirDistance() throws Exception {
        Path index = Files.write(tmp.resolve("x.barecat"), new byte[3 * 1024 * 1024]);
        IndexReadahead readahead = readahead(index);
        readahead.afterQuery(IndexReadahead.SLOW_QUERY_NS - 1);
        assertEquals(0, readahead.passes(), "under 2 ms, on a file in the page cache: nothing");
        readahead.afterQuery(IndexReadahead.SLOW_QUERY_NS);
        assertEquals(1, readahead.passes());
        for (int i = 0; i < 200 && readahead.running(); i++) {
            Thread.sleep(10);
        }
        assertFalse(readahead.running(), "the pass ends");
        long ended = System.nanoTime();
        readahead.afterQuery(IndexReadahead.SLOW_QUERY_NS * 10);
        assertEquals(1, readahead.passes(), "not again right after a pass");
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(IndexReadahead.MIN_GAP_NS - (System.nanoTime() - ended)) + 300);
        readahead.afterQuery(IndexReadahead.SLOW_QUERY_NS);
        assertEquals(2, readahead.passes(), "again once a pass of a 3 MB file is more than a second back");
    }

    @Test
    void aSomewhatSlowQueryStartsAPassOnlyWhenTheFileIsNotAllInThePageCache() throws Exception {
        Path cached = Files.write(tmp.resolve("cached.barecat"), new byte[1024 * 1024]); // just written: in the page cache
        IndexReadahead readahead = readahead(cached);
        readahead.afterQuery(IndexReadahead.SUSPECT_QUERY_NS - 1);
        readahead.afterQuery(IndexReadahead.SUSPECT_QUERY_NS);
        assertEquals(0, readahead.passes(), "every page is cached: nothing to read");

        Path uncached = tmp.resolve("uncached.barecat");
        assumeTrue(writeBypassingPageCache(uncached, 1024 * 1024), "this file system takes no O_DIRECT writes");
        readahead = readahead(uncached);
        readahead.afterQuery(IndexReadahead.SUSPECT_QUERY_NS - 1);
        assertEquals(0, readahead.passes(), "a fast query asks nothing");
        readahead.afterQuery(IndexReadahead.SUSPECT_QUERY_NS);
        assertEquals(1, readahead.passes(), "pages missing from the page cache: a pass");
        for (int i = 0; i < 200 && readahead.running(); i++) {
            Thread.sleep(10);
        }
        assertFalse(readahead.running(), "the pass ends");
    }

    /** A read-ahead of {@code file}, opened until the test's end. */
    private IndexReadahead readahead(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        opened.add(channel);
        return new IndexReadahead(file, channel);
    }

    private final java.util.List<FileChannel> opened = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeChannels() throws IOException {
        for (FileChannel c : opened) {
            c.close();
        }
    }

    /**
     * Writes {@code size} bytes (a multiple of 4 KiB), byte {@code i} being {@link #byteAt}{@code (i)},
     * with O_DIRECT, so that none of them is in the page cache; false when that is not supported.
     */
    static boolean writeBypassingPageCache(Path file, int size) throws IOException {
        int block = 4096;
        ByteBuffer buffer = ByteBuffer.allocateDirect(size + block).alignedSlice(block);
        buffer.limit(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, byteAt(i));
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    /** Byte {@code i} of a file {@link #writeBypassingPageCache} wrote. */
    static byte byteAt(long i) {
        return (byte) (i * 131 + (i >>> 12));
    }
}
