package org.barecat.cli;

import org.barecat.tools.write.ArchiveSink;
import org.barecat.tools.write.ArchiveWriter;
import org.barecat.tools.write.Packer;
import org.barecat.tools.write.SourceEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code barecat create ARCHIVE [PATHS...]}: stores files and directories like {@code tar c} does. */
@Command(name = "create", aliases = "c", sortOptions = false,
        description = {"Create a new archive from files and directories (directories recursively).",
                "",
                "Entries are stored under the paths as given, like tar; use -C DIR . to store a directory's "
                        + "contents.",
                "",
                "Stores each file's and directory's mode, owner, group and nanosecond mtime. Symbolic links, "
                        + "devices, sockets and pipes are skipped with a warning.",
                "",
                "The index is written under a temporary name and moved into place at the end: an interrupted "
                        + "create leaves no archive behind.",
                "",
                "Names are stored exactly: a name that is not valid UTF-8 (or valid in the --encoding given) is "
                        + "an error for that entry. A file that grows or shrinks while it is read is stored as read (up "
                        + "to its size when first looked at) and reported, as tar does: 'file changed as we read it'. "
                        + "After such errors the other entries are stored and the exit code is 1."})
final class CreateCommand implements Callable<Integer> {
    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

    @Parameters(index = "1..*", paramLabel = "PATHS", description = "files and directories to store " + SourceOptions.PATHS)
    List<String> paths = new ArrayList<>();

    @Mixin
    SourceOptions sources = new SourceOptions();

    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "start a new shard before one would pass SIZE (e.g. 10G); default unlimited")
    long shardSizeLimit = Long.MAX_VALUE;

    @Option(names = {"-f", "--force"}, description = "replace an existing archive (without -f it is never touched)")
    boolean force;

    @Mixin
    QuietOption quiet = new QuietOption();

    @Override
    public Integer call() {
        Path archive = archiveArgument.path();
        sources.paths = paths;
        if (!sources.hasInput()) {
            return Errors.fail("create: nothing to store (give PATHS or -T FILE)", 2);
        }
        if (sources.workers < 1) {
            return Errors.fail("create: --workers must be at least 1", 2);
        }
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
        return pack(writer, archive, sources, quiet, "Creating", false);
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

    /** Stores the sources into {@code sink} and commits it (see {@link ArchiveFill}). Shared by {@code create} and {@code add}. */
    static int pack(ArchiveSink sink, Path archive, SourceOptions sources, QuietOption quiet, String task,
                    boolean existingIsFatal) {
        List<AutoCloseable> inputs = new ArrayList<>();
        try {
            return ArchiveFill.fill(sink, quiet.progress(task), progress -> {
                Iterator<SourceEntry> entries = sources.entries(archive, progress, inputs);
                return new Packer(sink, sources.workers, existingIsFatal, progress).pack(entries);
            }, e -> {
                if (e instanceof FileAlreadyExistsException exists && existingIsFatal) {
                    return Errors.fail(exists.getFile() + ": already in the archive (use --overwrite or"
                            + " --skip-existing); nothing was added", 1);
                }
                return Errors.fail(e instanceof IOException io ? io : new IOException(String.valueOf(e.getMessage()), e));
            }, "not regular files or directories, or already in the archive");
        } finally {
            SourceOptions.closeAll(inputs);
        }
    }
}
