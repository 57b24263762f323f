package org.barecat.cli;

import org.barecat.tools.write.Resharder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code barecat reshard -s SIZE ARCHIVE}: the files laid out again in shards of at most SIZE bytes. */
@Command(name = "reshard",
        description = """
                Lay the files out again in shards of at most SIZE bytes, in address order and without gaps, and \
                make SIZE the archive's shard size limit. Refused, changing nothing, when a file is larger than \
                SIZE. In place and safe to kill at any moment: the new shards are written beside the old ones \
                (so up to the archive's size again is needed on disk), the index points at them in one step, and \
                the next program that changes the archive finishes a reshard that was killed. Prints nothing. \
                Refused while the archive is mounted.""")
final class ReshardCommand extends ArchiveWritingCommand {
    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            required = true, description = "New shard size limit (e.g., 1G, 500M).")
    long limit;

    @Override
    int run(Path archive) throws IOException {
        try (Resharder r = Resharder.open(archive)) {
            r.reshard(limit);
            return 0;
        }
    }
}
