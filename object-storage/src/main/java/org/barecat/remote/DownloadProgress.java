package org.barecat.remote;

/** Told how the download of an index advances, for a progress display. Called from several threads. */
public interface DownloadProgress {
    /** Shows nothing. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void started(String url, long bytes) {
        }

        @Override
        public void advanced(long bytes) {
        }
    };

    /** A download of {@code bytes} bytes from {@code url} starts (only when the cache has no copy). */
    void started(String url, long bytes);

    /** {@code bytes} more bytes have arrived. */
    void advanced(long bytes);
}
