package org.barecat.core;

import java.io.IOException;

/** A path no archive entry may have: empty, with a {@code .}, {@code ..} or empty component, or a name over 255 bytes. */
public class InvalidArchivePathException extends IOException {
    private final String reason;

    public InvalidArchivePathException(String message) {
        super(message);
        this.reason = message;
    }

    /** {@code path} is refused because of {@code reason} (see {@link ArchivePaths#whyInvalid}). */
    public InvalidArchivePathException(String path, String reason) {
        super("'" + path + "': not a valid archive path (" + reason + ")");
        this.reason = reason;
    }

    /** What is wrong with the path, e.g. "a '..' component". */
    public String reason() {
        return reason;
    }
}
