package org.barecat.testing;

import java.nio.charset.StandardCharsets;

/** File contents for tests. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code length} bytes counting up from {@code seed} (wrapping at 256): contents that tell files
     * and versions apart when each gets its own seed.
     */
    public static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) (seed + k);
        }
        return b;
    }
}
