package org.barecat.tools;

/**
 * What long-running archive work (packing, converting, verifying, extracting) tells its caller.
 * Methods may be called from worker threads: implementations must be thread-safe.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** The work has a known size: {@code files} entries of {@code bytes} bytes in all (-1 when unknown). */
    default void total(long files, long bytes) {
    }

    /** One entry is done; {@code bytes} of file content were processed for it. */
    default void done(String path, long bytes) {
    }

    /** An entry was left out on purpose (a symbolic link, a device, an existing file), with the reason. */
    default void skipped(String path, String reason) {
    }

    /** Something worth knowing that is neither a skip nor a problem (e.g. a name was changed). */
    default void note(String path, String message) {
    }

    /** An entry could not be processed; the work goes on without it and ends as a failure. */
    default void problem(String path, String message) {
    }

    /**
     * An entry was not stored because its name is not valid text in the names' encoding: a
     * {@link #problem}. {@code name} shows the bytes that are not text escaped ({@code caf\xe9.txt});
     * a directory's ends with {@code /} (nothing in it was stored either).
     */
    default void undecodableName(String name, String encoding) {
        problem(name, "name is not valid " + encoding + "; not stored");
    }
}
