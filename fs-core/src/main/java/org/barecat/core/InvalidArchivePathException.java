package org.barecat.core;

import java.io.IOException;

/** A path no archive entry may have: empty, with a {@code .}, {@code ..} or empty component, or a name over 255 bytes. */
public class InvalidArchivePathException extends IOException {
    public InvalidArchivePathException(String message) {
        super(message);
    }
}
