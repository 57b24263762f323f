package org.barecat.remote;

import java.io.IOException;
import java.io.InputStream;

/** Reading a ranged response's body. */
final class Blocks {
    private Blocks() {
    }

    /**
     * Exactly {@code length} bytes from {@code in} (the bytes from {@code start} of {@code url}), filling
     * the arrays of {@code into} one after the other, each but the last whole: fewer or more throw.
     */
    static void readExactly(InputStream in, long length, byte[][] into, String url, long start) throws IOException {
        long read = 0;
        boolean more;
        try {
            for (int i = 0; i < into.length && read < length; i++) {
                int want = (int) Math.min(into[i].length, length - read);
                int n = in.readNBytes(into[i], 0, want);
                read += n;
                if (n < want) {
                    break;
                }
            }
            more = in.read() >= 0;
        } catch (IOException e) {
            throw new IOException(url + ": bytes " + start + " to " + (start + length) + ": the response broke off ("
                    + e.getMessage() + ")", e);
        }
        if (read != length || more) {
            throw new IOException(url + ": bytes " + start + " to " + (start + length) + ": the server sent "
                    + (read == length ? "more" : read + " bytes"));
        }
    }
}
