package org.barecat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class IndexReadaheadTest {
    @TempDir
    Path tmp;

    @Test
    void onlyASlowQueryStartsAPassAndPassesKeepTheirDistance() throws Exception {
        Path index = Files.write(tmp.resolve("x.barecat"), new byte[3 * 1024 * 1024]);
        IndexReadahead readahead = new IndexReadahead(index);
        readahead.afterQuery(IndexReadahead.SLOW_QUERY_NS - 1);
        assertEquals(0, readahead.passes(), "a fast query starts nothing");
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
}
