package org.barecat.cli;

import org.barecat.remote.RemoteArchives;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * The ARCHIVE operand that comes first in every command working on one archive (a picocli mixin);
 * the commands that only read it take it with {@link ArchiveReadingCommand}.
 */
final class ArchiveArgument {
    @Parameters(index = "0", paramLabel = "ARCHIVE",
            description = "the archive, e.g. data.barecat (its shards lie beside it)")
    String name;

    /** The archive's path as given, for a command that needs a local archive (one that writes). */
    Path path() {
        return localPath(name);
    }

    /**
     * {@code name} as a path; a URL fails the command with one line naming it: archives on a server are
     * only read, by the commands that take a URL.
     *
     * @throws IllegalArgumentException naming the URL
     */
    static Path localPath(String name) {
        if (RemoteArchives.isUrl(name)) {
            throw new IllegalArgumentException(name + ": read-only over " + name.substring(0, name.indexOf("://") + 3)
                    + " (this command needs a local archive)");
        }
        return Path.of(name);
    }
}
