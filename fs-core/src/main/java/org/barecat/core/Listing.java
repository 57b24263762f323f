package org.barecat.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The children of one directory, streamed: what {@link ArchiveView#list} and its siblings give, from one
 * archive ({@link DirectoryListing}) or from several ({@link ArchiveUnion}). Not thread-safe.
 *
 * @param <T> a whole {@link Entry}, or only a {@link Child}'s name and kind
 */
public interface Listing<T> extends Iterator<T> {
    /** The directory being listed. */
    String directory();

    /** Next child without consuming it, or {@code null} at the end. */
    T peek() throws IOException;

    /** Like {@link #next()} but with the checked exception of the index; {@code null} at the end. */
    T take() throws IOException;

    @Override
    default boolean hasNext() {
        try {
            return peek() != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    default T next() {
        try {
            T t = take();
            if (t == null) {
                throw new NoSuchElementException();
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves this listing, before anything has been read from it, to just after its child named
     * {@code name}, as if every child up to that one had been taken, so that a client paging through
     * a large directory resumes after the last name it got.
     *
     * @return false when the directory has no child of that name in this listing
     */
    boolean skipPast(String name) throws IOException;

    /** The directory's path followed by a slash, as UTF-8 (empty for the root): what each child's path starts with. */
    byte[] childPrefixUtf8();
}
