package org.barecat.core;

import java.io.IOException;

/**
 * Every entry below a directory in the index's path order, one at a time, resumable after a path:
 * what a search walks ({@link ArchiveView#scanBelow}). Not thread-safe.
 */
public interface EntryScan {
    /** The next entry, or {@code null} at the end. */
    Entry next() throws IOException;
}
