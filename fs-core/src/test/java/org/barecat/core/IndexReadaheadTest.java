package org.barecat.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class IndexReadaheadTest {
    @TempDir
    Path tmp;

    @Test
    void onlyASlowQueryStartsAPassAndAtMostOnePerInterval() throws Exception {
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
        readahead.afterQuery(IndexReadahead.SLOW_QUERY_NS * 10);
        assertEquals(1, readahead.passes(), "not again within the interval");
    }
}
