package org.barecat.cli;

import org.barecat.tools.write.ArchiveWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;

/** {@code barecat create ARCHIVE [PATHS...]}: stores files and directories like {@code tar c} does. */
@Command(name = "create", aliases = "c", sortOptions = false,
        description = {"""
                Create a new archive from files and directories (directories recursively).""",
                "",
                """
                Entries are stored under the paths as given, like tar; use -C DIR . to store a directory's \
                contents.""",
                "",
                """
                Stores each file's and directory's mode, owner, group and nanosecond mtime. Symbolic links, \
                devices, sockets and pipes are skipped with a warning.""",
                "",
                """
                The index is written under a temporary name and moved into place at the end: an interrupted \
                create leaves no archive behind.""",
                "",
                """
                Names are stored exactly: a name that is not valid UTF-8 (or valid in the --encoding given) is \
                an error for that entry. A file that grows or shrinks while it is read is stored as read (up to \
                its size when first looked at) and reported, as tar does: 'file changed as we read it'. After \
                such errors the other entries are stored and the exit code is 1."""})
final class CreateCommand extends PackingCommand {
    @Parameters(index = "1..*", paramLabel = "PATHS", description = "files and directories to store " + SourceOptions.PATHS)
    void paths(List<String> paths) {
        sources.paths = paths;
    }

    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "start a new shard before one would pass SIZE (e.g. 10G); default unlimited")
    long shardSizeLimit = Long.MAX_VALUE;

    @Option(names = {"-f", "--force"}, description = "replace an existing archive (without -f it is never touched)")
    boolean force;

    @Mixin
    QuietOption quiet = new QuietOption();

    CreateCommand() {
        super("store");
    }

    @Override
    int run(Path archive) {
        String directory = directoryName(archiveArgument.name, "data.barecat");
        if (directory != null) {
            return Errors.fail(directory, 1);
        }
        ArchiveWriter writer;
        try {
            writer = ArchiveWriter.create(archive, shardSizeLimit, force);
        } catch (FileAlreadyExistsException e) {
            return Errors.fail(archive + ": archive exists (use -f to replace it)", 1);
        } catch (IOException e) {
            return Errors.fail(e);
        }
        return pack(writer, archive, quiet, "Creating", false);
    }

    /**
     * Why {@code given}, the name of an archive to make, is a directory's name (it ends with '/'), or
     * null. Path drops the '/': the archive would be a file named as the directory the user meant.
     */
    static String directoryName(String given, String example) {
        if (!given.endsWith("/")) {
            return null;
        }
        return given + ": names a directory (it ends with '/'); name the file to make, e.g. "
                + Path.of(given).resolve(example);
    }
}
