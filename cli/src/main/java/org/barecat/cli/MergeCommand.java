package org.barecat.cli;

import org.barecat.tools.convert.ArchiveFormat;
import org.barecat.tools.merge.ArchiveMerge;
import org.barecat.tools.merge.Selection;
import org.barecat.tools.write.ArchiveAppender;
import org.barecat.tools.write.ArchiveSink;
import org.barecat.tools.write.ArchiveWriter;
import org.barecat.tools.write.ShardLinkMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code barecat merge -o OUT ARCHIVE...}: one archive made of several (Barecat, tar, zip). */
@Command(name = "merge",
        description = """
                Make one archive of several: Barecat archives, and tar (any compression) and zip files named by \
                their extension, in the order given, each under --prefix and --as-subdirs if asked. A path that \
                two inputs have is an error unless --ignore-duplicates keeps the first. A new OUT appears only \
                once complete; with -a the files are appended to OUT in one transaction. With --symlink no bytes \
                are copied: OUT's shards are links to the inputs' shards.""")
final class MergeCommand implements Callable<Integer> {
    @Mixin
    OutputArchiveOptions out = new OutputArchiveOptions();

    @Option(names = {"-a", "--append"}, description = "Add to OUT if it exists (implies --ignore-duplicates).")
    boolean append;

    @Option(names = "--ignore-duplicates", description = "Keep the first copy of a path that several inputs have.")
    boolean ignoreDuplicates;

    @Option(names = "--as-subdirs", description = "Put each input under a directory named after it, lower-cased,"
            + " without its extension (MyData.tar: mydata/).")
    boolean asSubdirs;

    @Option(names = "--prefix", paramLabel = "PATH", description = "Put everything under PATH/.")
    String prefix;

    @Option(names = "--symlink", description = "Copy no bytes: OUT's shards become links to the inputs' shards"
            + " (Barecat inputs only; OUT cannot be changed in place afterwards).")
    boolean symlink;

    @Mixin
    SelectionOptions selection;

    @Parameters(paramLabel = "ARCHIVE", arity = "1..*", description = "Barecat archives, or tar or zip files.")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() {
        if (symlink && append) {
            return Errors.fail("merge: --append is not supported with --symlink", 1);
        }
        Selection selected = selection.selection();
        List<Path> paths = inputs.stream().map(ArchiveArgument::localPath).toList();
        if (symlink) {
            return linkShards(paths, selected);
        }
        return run(paths, out, append,
                new ArchiveMerge.Options(prefix, asSubdirs, selected, ignoreDuplicates || append));
    }

    /** {@code --symlink}: the original's checks, in its order, then a new OUT whose shards link to the inputs'. */
    private int linkShards(List<Path> paths, Selection selected) {
        for (Path p : paths) {
            if (ArchiveFormat.byName(p.getFileName().toString()) != ArchiveFormat.BARECAT) {
                return Errors.fail("merge: --symlink is not supported with tar/zip inputs (" + p + ")", 1);
            }
        }
        if (Files.exists(out.output) && !out.force) {
            return Errors.fail(out.output + ": already exists; use -f to overwrite it", 1);
        }
        if (selected.filters()) {
            return Errors.fail("merge: --pattern/--include/--exclude not supported with --symlink", 1);
        }
        ArchiveMerge.Options options = new ArchiveMerge.Options(prefix, asSubdirs, selected, ignoreDuplicates);
        List<ShardLinkMerge.Input> linked = paths.stream()
                .map(p -> new ShardLinkMerge.Input(p, ArchiveMerge.prefixFor(p, options))).toList();
        try {
            ShardLinkMerge.merge(linked, out.output, out.force, ignoreDuplicates,
                    in -> System.out.println(ArchiveMerge.mergingLine(in.archive(), in.prefix())));
        } catch (IOException e) {
            return Errors.fail(e);
        }
        if (ignoreDuplicates && options.prefix().isEmpty() && !asSubdirs) {
            // the original recomputes every directory's statistics here and prints its progress
            ArchiveMerge.TREESTATS_LINES.forEach(System.out::println);
        }
        return 0;
    }

    /** Merges {@code inputs} into {@code output}, printing the original's line per input; for merge and subset. */
    static int run(List<Path> inputs, OutputArchiveOptions out, boolean append, ArchiveMerge.Options options) {
        Path output = out.output;
        if (Files.exists(output) && !out.force && !append) {
            return Errors.fail(output + ": already exists; use -f to overwrite it", 1);
        }
        ArchiveSink sink;
        try {
            // appending, a path OUT has already is a duplicate like any other
            sink = append && Files.exists(output)
                    ? ArchiveAppender.open(output, options.ignoreDuplicates() ? ArchiveAppender.Existing.SKIP
                            : ArchiveAppender.Existing.FAIL)
                    : ArchiveWriter.create(output, out.shardSizeLimit == null ? Long.MAX_VALUE : out.shardSizeLimit,
                    out.force);
        } catch (IOException e) {
            return Errors.fail(e);
        }
        try (AbortOnExit guard = new AbortOnExit(sink::abort)) {
            ArchiveMerge.merge(inputs, sink, options, System.out::println, new org.barecat.tools.ProgressListener() {
            });
            if (guard.stopping()) {
                sink.abort();
                return 1;
            }
            sink.close();
            return 0;
        } catch (IOException | RuntimeException e) {
            sink.abort();
            return Errors.fail(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }
}
