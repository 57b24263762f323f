package org.barecat.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code -o OUT}, {@code -s SIZE} and {@code -f}: the new archive that merge and subset make. */
final class OutputArchiveOptions {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The archive to make.")
    Path output;

    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Start a new shard before one would pass SIZE (e.g. 10G); default: no limit.")
    Long shardSizeLimit;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;
}
