package org.barecat.core;

import java.io.IOException;
import java.nio.file.Path;

/** The archive on disk is not one this library can read: the message names the file and the problem. */
public class ArchiveFormatException extends IOException {
    public ArchiveFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ArchiveFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
