package org.barecat.core;

/** Counters behind a {@link Totals}, kept by one thread. */
final class Tally {
    long files;
    long directories;
    long bytes;
    long skipped;
    long problems;

    Totals totals() {
        return new Totals(files, directories, bytes, skipped, problems);
    }
}
