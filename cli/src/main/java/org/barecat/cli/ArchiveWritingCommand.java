package org.barecat.cli;

import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The skeleton of the commands that change an archive in place or make one from it: ARCHIVE, which
 * must be a local path (a URL fails the command with one line), and a failure ending as one line on
 * stderr and exit code 1.
 */
abstract class ArchiveWritingCommand implements Callable<Integer> {
    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

    @Override
    public final Integer call() {
        try {
            return run(archiveArgument.path());
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }

    /** Does the command's work on the archive at {@code archive}; the exit code. */
    abstract int run(Path archive) throws IOException;
}
