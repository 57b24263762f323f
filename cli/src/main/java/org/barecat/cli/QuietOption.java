package org.barecat.cli;

import picocli.CommandLine.Option;

/** {@code -q}: no progress bar, for the commands that show one (a picocli mixin). */
final class QuietOption {
    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    /** The progress report of {@code task}, with its bar unless {@code -q} was given. */
    Progress progress(String task) {
        return new Progress(task, quiet);
    }
}
