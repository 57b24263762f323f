package org.barecat.core;

/**
 * The optional Unix metadata stored with a file or directory row. Each member is {@code null}
 * when the index holds NULL for it; the reader decides the defaults.
 *
 * @param mode    permission bits, possibly with file-type bits
 * @param uid     owner user id
 * @param gid     owner group id
 * @param mtimeNs modification time in nanoseconds since the Unix epoch
 */
public record Attributes(Integer mode, Integer uid, Integer gid, Long mtimeNs) {
    public static final Attributes NONE = new Attributes(null, null, null, null);

    /** Permission bits only ({@code mode & 07777}), or {@code fallback} when mode is NULL. */
    public int permissionsOr(int fallback) {
        return mode == null ? fallback : mode & 07777;
    }
}
