package org.barecat.tools;

/** The counters behind a {@link Totals}, kept by one thread while the tools of this module work. */
public final class Tally {
    private long files;
    private long directories;
    private long bytes;
    private long skipped;
    private long problems;

    /** A file of {@code bytes} bytes was done. */
    public void file(long bytes) {
        files++;
        this.bytes += bytes;
    }

    /** A directory was done. */
    public void directory() {
        directories++;
    }

    /** An entry was left out on purpose. */
    public void skipped() {
        skipped++;
    }

    /** An entry failed. */
    public void problem() {
        problems++;
    }

    public Totals totals() {
        return new Totals(files, directories, bytes, skipped, problems);
    }
}
