package org.barecat.core;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc32cCombineTest {
    private static long crc(byte[] data, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(data, from, to - from);
        return c.getValue();
    }

    @Test
    void checksumOfTwoRangesJoinedIsTheChecksumOfBoth() {
        Random random = new Random(9);
        byte[] data = new byte[300_000];
        random.nextBytes(data);
        for (int k = 0; k < 200; k++) {
            int cut = random.nextInt(data.length + 1);
            int end = cut + random.nextInt(data.length - cut + 1);
            assertEquals(crc(data, 0, end), Crc32cCombine.combine(crc(data, 0, cut), crc(data, cut, end), end - cut),
                    "cut at " + cut + ", end " + end);
        }
        assertEquals(0xE3069283L, Crc32cCombine.combine(crc("1234".getBytes(), 0, 4), crc("56789".getBytes(), 0, 5), 5));
    }
}
