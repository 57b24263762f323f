package org.barecat.cli;

/**
 * One row of a directory in {@code browse} or {@code ncdu}.
 *
 * @param size  a file's size, a directory's total size of the files below it (0 where not read)
 * @param files 1 for a file, the files below a directory (0 where not read)
 */
record TuiEntry(String name, boolean directory, long size, long files) {
}
