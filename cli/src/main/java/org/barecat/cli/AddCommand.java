package org.barecat.cli;

import org.barecat.tools.write.ArchiveAppender;
import org.barecat.tools.write.ArchiveSink;
import org.barecat.tools.write.ArchiveWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code barecat add ARCHIVE PATHS...}: appends to an existing archive, in place. */
@Command(name = "add", aliases = "a", sortOptions = false,
        description = {"""
                Add files and directories to an existing archive (same path rules as create).""",
                "",
                """
                New bytes go right after the last file the index has (bytes an add killed part-way left after it \
                are cut off first); a new shard starts at the archive's size limit. The index is changed in one \
                transaction, committed at the end: an interrupted add leaves the archive as it was.""",
                "",
                """
                A file path already in the archive is an error (and nothing is added) unless --overwrite or \
                --skip-existing is given. Do not add to an archive that is mounted.""",
                "",
                """
                Names that are not valid text, and files that change while they are read, are handled as by \
                create: reported, one line each, and exit 1."""})
final class AddCommand extends PackingCommand {
    @Parameters(index = "1..*", paramLabel = "PATHS", description = "files and directories to add " + SourceOptions.PATHS)
    void paths(List<String> paths) {
        sources.paths = paths;
    }

    @ArgGroup(exclusive = true)
    WhenExisting whenExisting;

    static final class WhenExisting {
        @Option(names = "--overwrite", required = true,
                description = "replace files already in the archive (their old bytes become unused space)")
        boolean overwrite;

        @Option(names = "--skip-existing", required = true, description = "keep files already in the archive, silently")
        boolean skipExisting;
    }

    @Option(names = {"-c", "--create"}, description = "create the archive when it does not exist")
    boolean create;

    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "with -c, for a new archive: largest shard (e.g. 10G); an existing archive keeps its own")
    long shardSizeLimit = Long.MAX_VALUE;

    @Mixin
    QuietOption quiet = new QuietOption();

    AddCommand() {
        super("add");
    }

    @Override
    int run(Path archive) {
        ArchiveAppender.Existing policy = whenExisting == null ? ArchiveAppender.Existing.FAIL
                : whenExisting.overwrite ? ArchiveAppender.Existing.OVERWRITE : ArchiveAppender.Existing.SKIP;
        ArchiveSink sink;
        try {
            sink = ArchiveAppender.open(archive, policy);
        } catch (NoSuchFileException e) {
            if (!create) {
                return Errors.fail(archive + ": no such archive (use -c to create it)", 1);
            }
            String directory = CreateCommand.directoryName(archiveArgument.name, "data.barecat");
            if (directory != null) {
                return Errors.fail(directory, 1);
            }
            try {
                sink = ArchiveWriter.create(archive, shardSizeLimit, false);
            } catch (IOException ex) {
                return Errors.fail(ex);
            }
        } catch (IOException e) {
            return Errors.fail(e);
        }
        return pack(sink, archive, quiet, "Adding", policy == ArchiveAppender.Existing.FAIL);
    }
}
