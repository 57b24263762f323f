package org.barecat.core;

/**
 * A directory.
 *
 * @param stats the row's statistics, or {@code null} for a directory that has no {@code dirs} row
 *              and exists only as an ancestor of some file or directory
 */
public record DirEntry(String path, DirStats stats, Attributes attributes) implements Entry {
    /** A directory that has no {@code dirs} row, at {@code path}. */
    public static DirEntry implicit(String path) {
        return new DirEntry(path, null, Attributes.NONE);
    }
}
