package org.barecat.remote;

import java.io.IOException;
import java.io.InputStream;

/** Reading a ranged response's body. */
final class Blocks {
    private Blocks() {
    }

    /**
     * Exactly {@code length} bytes from {@code in}, into an array of that size (no copy on the way,
     * so the memory a fetch holds is its block): fewer or more throw.
     */
    static byte[] readExactly(InputStream in, int length, String url, long start) throws IOException {
        byte[] bytes = new byte[length];
        int n;
        boolean more;
        try {
            n = in.readNBytes(bytes, 0, length);
            more = in.read() >= 0;
        } catch (IOException e) {
            throw new IOException(url + ": bytes " + start + " to " + (start + length) + ": the response broke off ("
                    + e.getMessage() + ")", e);
        }
        if (n != length || more) {
            throw new IOException(url + ": bytes " + start + " to " + (start + length) + ": the server sent "
                    + (n == length ? "more" : n + " bytes"));
        }
        return bytes;
    }
}
