package org.barecat.core;

/** A path in an archive that is either a regular file or a directory. */
public sealed interface Entry permits FileEntry, DirEntry {
    /** Archive path: {@code /}-separated, no leading {@code /}; the root is {@code ""}. */
    String path();

    Attributes attributes();

    /** Last path component; {@code ""} for the root. */
    default String name() {
        String p = path();
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
