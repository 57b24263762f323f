package org.barecat.remote;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The requests an archive on a server needs, by key (a bucket's object key, or a URL's path): one
 * implementation per protocol ({@link S3Store}, {@link HttpStore}). Safe to share between threads.
 */
interface ObjectStore extends Closeable {
    /** {@code key} as the user would write it: {@code s3://bucket/key}, {@code https://host/path}. */
    String url(String key);

    /**
     * @throws java.nio.file.NoSuchFileException   naming the URL when there is no such object
     * @throws java.nio.file.AccessDeniedException naming the URL when the server refuses
     * @throws IOException                          when the server cannot be reached or answers otherwise
     */
    ObjectInfo head(String key) throws IOException;

    /**
     * The response to a request of bytes {@code start} to {@code start + length} of the object as of
     * version {@code object}: a response of another version throws. Its body is for the caller to
     * check as it reads ({@link Blocks#readExactly}).
     */
    InputStream open(String key, ObjectInfo object, long start, long length) throws IOException;

    /** Bytes {@code start} to {@code start + length} of the object as of version {@code object}, exactly: {@link #open}, read whole. */
    default byte[] read(String key, ObjectInfo object, long start, int length) throws IOException {
        byte[] bytes = new byte[length];
        try (InputStream in = open(key, object, start, length)) {
            Blocks.readExactly(in, length, new byte[][] {bytes}, url(key), start);
        }
        return bytes;
    }
}
