package org.barecat.fuse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link HeldFiles} hands entries to its thread oldest first, with their own parent and name (but
 * for entries of a directory forgotten), once more than its capacity are held (its rings growing on
 * the way) or their names take more than {@link HeldFiles#NAME_BYTES} each on average, the names
 * wrapping round the ring's end.
 */
class HeldFilesRingTest {
    /** A directory the kernel forgot: its entries are not sent. */
    private static final long STALE = 3;
    private final LinkedBlockingQueue<String> dropped = new LinkedBlockingQueue<>();

    private HeldFiles held(int capacity) {
        return new HeldFiles(capacity, parent -> parent != STALE, (parent, name) -> {
            dropped.add(parent + "/" + new String(name, StandardCharsets.UTF_8));
            return 0;
        }, "test-held-files");
    }

    private List<String> take(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String d = dropped.poll(10, TimeUnit.SECONDS);
            if (d == null) {
                break;
            }
            out.add(d);
        }
        return out;
    }

    private static String name(int i) {
        return "n" + i + "-" + "x".repeat(i % 25); // 3-31 bytes
    }

    @Test
    void pushesOutTheOldestBeyondCapacityWhileGrowing() throws Exception {
        HeldFiles h = held(5_000);
        try {
            for (int i = 0; i < 5_010; i++) {
                h.lookedUp(i % 7 + 1, name(i).getBytes(StandardCharsets.UTF_8));
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                if (i % 7 + 1 != STALE) {
                    expected.add((i % 7 + 1) + "/" + name(i));
                }
            }
            assertEquals(expected, take(expected.size()));
            assertNull(dropped.poll(100, TimeUnit.MILLISECONDS), "5,000 still held");
        } finally {
            h.stop();
        }
    }

    @Test
    void longNamesGoEarlierAndWrapRoundTheEnd() throws Exception {
        HeldFiles h = held(4); // room for 255 bytes of names
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String n = (char) ('a' + i % 26) + "y".repeat(60 + 37 * i % 190); // 61-250 bytes
                names.add(n);
                h.lookedUp(i + 10, n.getBytes(StandardCharsets.UTF_8));
            }
            // what is still held: the newest whose names fit in 255 bytes, at most 4
            int kept = 0;
            int bytes = 0;
            while (kept < 4 && bytes + names.get(39 - kept).length() <= 255) {
                bytes += names.get(39 - kept).length();
                kept++;
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 40 - kept; i++) {
                expected.add((i + 10) + "/" + names.get(i));
            }
            assertEquals(expected, take(40 - kept));
            assertNull(dropped.poll(100, TimeUnit.MILLISECONDS), "the newest still held");
        } finally {
            h.stop();
        }
    }
}
