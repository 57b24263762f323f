package org.barecat.cli;

import picocli.CommandLine.Option;

/** {@code --help} alone, for ls and du, whose {@code -h} is {@code --human-readable} as in ls and du (a picocli mixin). */
final class LongHelpOption {
    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;
}
