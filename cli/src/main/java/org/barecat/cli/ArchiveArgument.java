package org.barecat.cli;

import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** The ARCHIVE operand that comes first in every command working on one archive (a picocli mixin). */
final class ArchiveArgument {
    @Parameters(index = "0", paramLabel = "ARCHIVE",
            description = "the archive, e.g. data.barecat (its shards lie beside it)")
    String name;

    /** The archive's path as given. */
    Path path() {
        return Path.of(name);
    }
}
