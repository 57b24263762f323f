package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Entry;

import java.io.IOException;
import java.util.Optional;

/** Turns a PATH argument of ls, find, du and tree into an archive entry, as `ls: cannot access` would. */
final class ArchivePathArgument {
    private ArchivePathArgument() {
    }

    /** The entry at {@code given} (the root for "", "." or "/"), or empty after printing why not. */
    static Optional<Entry> resolve(Archive archive, String command, String given) throws IOException {
        String g = given.equals(".") || given.startsWith("./") ? given.substring(1) : given;
        String p = ArchivePaths.normalize(g);
        Optional<Entry> e = p == null ? Optional.empty() : archive.lookup(p);
        if (e.isEmpty()) {
            Errors.fail(command + ": cannot access '" + given + "': No such file or directory in the archive", 1);
        }
        return e;
    }
}
