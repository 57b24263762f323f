package org.barecat.cli;

import org.barecat.tools.write.IndexUpgrade;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code barecat upgrade ARCHIVE}: an index of the 0.1 or 0.2 layout brought to 0.3. */
@Command(name = "upgrade",
        description = """
                Bring an archive's index from the older 0.1 or 0.2 layout to 0.3: a new index with every row, \
                the directory statistics and the triggers, renamed over the old one in one step (killed at any \
                moment, the archive has the old index or the new one). The shards do not change. The old index \
                is kept as INDEX.old unless --no-preserve-backup. Refused while the archive is mounted.""")
final class UpgradeCommand extends ArchiveWritingCommand {
    @Option(names = {"-j", "--workers"}, paramLabel = "N", description = "Accepted for the original's scripts"
            + " (it computes checksums of archives older than 0.1 with them, which this barecat does not upgrade).")
    int workers = 8;

    @Option(names = "--preserve-backup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep the old index as INDEX.old (default); --no-preserve-backup deletes it at the end.")
    boolean preserveBackup;

    @Override
    int run(Path archive) throws IOException {
        IndexUpgrade.upgrade(archive, preserveBackup, System.out::println);
        return 0;
    }
}
