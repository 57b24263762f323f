package org.barecat.cli;

import org.barecat.core.ArchiveInfo;
import org.barecat.core.ArchiveStats;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code barecat info ARCHIVE}: counts, sizes, shards, schema. */
@Command(name = "info",
        description = "Print facts about an archive: its files, counts, sizes, shards and schema version.")
final class InfoCommand extends ArchiveReadingCommand {
    @Override
    public Integer call() {
        return print((archive, out) -> {
            ArchiveInfo info = ArchiveInfo.of(archive);
            ArchiveStats s = info.stats();
            row(out, "index", archive.name() + (info.legacyIndexName() ? " (legacy name)" : ""));
            row(out, "schema version", info.schemaVersion());
            row(out, "files", Long.toString(s.fileCount()));
            row(out, "directories", Long.toString(s.dirCount()) + " (with a row in the index)");
            row(out, "total size", s.totalFileBytes() + " bytes (" + Formats.human(s.totalFileBytes()) + ")");
            long onDisk = info.shardSizes().stream().mapToLong(Long::longValue).sum();
            row(out, "shards", info.shardSizes().size() + ", " + onDisk + " bytes (" + Formats.human(onDisk) + ")"
                    + (onDisk > s.totalFileBytes() ? ", " + (onDisk - s.totalFileBytes()) + " bytes unused" : ""));
            row(out, "shard size limit", info.shardSizeLimit() == Long.MAX_VALUE ? "unlimited"
                    : info.shardSizeLimit() + " bytes (" + Formats.human(info.shardSizeLimit()) + ")");
            row(out, "statistics triggers", info.useTriggers() ? "on" : "off");
            return 0;
        });
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-20s %s%n", key + ":", value);
    }
}
