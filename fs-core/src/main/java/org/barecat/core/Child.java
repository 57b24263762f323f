package org.barecat.core;

/**
 * A child in a directory listing, by path and kind only: what {@code ls}, {@code find} and
 * {@code os.scandir} need, read from two columns of the index instead of the whole row.
 */
public record Child(String path, boolean directory) {
    /** Last path component. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
