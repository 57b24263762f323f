package org.barecat.cli;

import org.barecat.tools.write.ArchiveSink;
import org.barecat.tools.write.Packer;
import org.barecat.tools.write.SourceEntry;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The skeleton of {@code create} and {@code add}, which store files and directories into an archive:
 * ARCHIVE and the source options, their checks, and the packing itself. Each command declares its
 * PATHS (their help says what it does with them) and {@code -q} (listed after its own options), and
 * opens the archive it writes into.
 */
abstract class PackingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

    @Mixin
    SourceOptions sources = new SourceOptions();

    /** What the command does with PATHS, as its messages say it: "store", "add". */
    private final String verb;

    PackingCommand(String verb) {
        this.verb = verb;
    }

    @Override
    public final Integer call() {
        Path archive = archiveArgument.path();
        if (!sources.hasInput()) {
            return Errors.fail(spec.name() + ": nothing to " + verb + " (give PATHS or -T FILE)", 2);
        }
        if (sources.workers < 1) {
            return Errors.fail(spec.name() + ": --workers must be at least 1", 2);
        }
        return run(archive);
    }

    /** Opens the archive at {@code archive} for writing and {@link #pack packs} the sources into it; the exit code. */
    abstract int run(Path archive);

    /** Stores the sources into {@code sink} and commits it (see {@link ArchiveFill}). */
    final int pack(ArchiveSink sink, Path archive, QuietOption quiet, String task, boolean existingIsFatal) {
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
