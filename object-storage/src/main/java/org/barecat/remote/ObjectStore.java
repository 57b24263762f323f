package org.barecat.remote;

import java.io.Closeable;
import java.io.IOException;

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
     * Bytes {@code start} to {@code start + length} of the object, exactly, as of version {@code object}:
     * a short response, or one of another version of the object, throws.
     */
    byte[] read(String key, ObjectInfo object, long start, int length) throws IOException;
}
