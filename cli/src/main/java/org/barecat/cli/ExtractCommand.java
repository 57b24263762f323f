package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveStats;
import org.barecat.tools.Totals;
import org.barecat.tools.extract.Extractor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code barecat extract ARCHIVE [PATHS...] -C DIR}: writes entries to disk, safely. */
@Command(name = "extract", aliases = "x", sortOptions = false,
        description = {"""
                Extract files and directories into DIR, restoring bytes, modes and mtimes.""",
                "",
                """
                Extracts everything, or the PATHS given (directories with their contents). Bytes are checked \
                against their CRC-32C.""",
                "",
                """
                Safe with any archive: an entry with a '..', '.' or empty path component or a leading '/' is \
                refused; no symbolic link in DIR is ever followed; existing files are not replaced unless \
                --overwrite is given. A refused entry is reported on stderr, the rest is extracted, and the exit \
                code is 1.""",
                "",
                """
                A write that DIR's file system refuses (full, over quota) stops the extraction with one line \
                naming the file."""})
final class ExtractCommand extends ArchiveReadingCommand {
    @Parameters(index = "1..*", paramLabel = "PATHS", description = "archive paths to extract (default: everything)")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR", description = "extract into DIR (default: the current directory)")
    Path directory = Path.of(".");

    @ArgGroup(exclusive = true)
    WhenExisting whenExisting;

    static final class WhenExisting {
        @Option(names = "--overwrite", required = true, description = "replace existing files (a symbolic link is replaced, not followed)")
        boolean overwrite;

        @Option(names = {"-k", "--skip-existing"}, required = true, description = "keep existing files, silently")
        boolean skipExisting;
    }

    @Option(names = "--same-owner", description = "also restore owner and group (and set-user/group-ID bits); needs root")
    boolean sameOwner;

    @Mixin
    QuietOption quiet = new QuietOption();

    @Override
    public Integer call() {
        Extractor.Existing existing = whenExisting == null ? Extractor.Existing.FAIL
                : whenExisting.overwrite ? Extractor.Existing.OVERWRITE : Extractor.Existing.SKIP;
        try (Archive archive = open(); Progress progress = quiet.progress("Extracting")) {
            if (paths.isEmpty()) {
                ArchiveStats stats = archive.stats();
                progress.total(stats.fileCount(), stats.totalFileBytes());
            }
            Totals r = new Extractor(archive, directory, existing, sameOwner, progress).extract(paths);
            progress.close();
            return r.problems() > 0 ? 1 : 0;
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }
}
