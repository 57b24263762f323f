package org.barecat.cli;

import org.barecat.tools.write.NameDecoder;
import org.barecat.tools.write.PathFilter;
import org.barecat.tools.write.SourceEntry;
import org.barecat.tools.write.SourceWalker;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** What to store, as {@code create} and {@code add} take it: paths, -C, -T, -0, filters, workers. */
final class SourceOptions {
    /** How PATHS are stored: the end of the PATHS description of create and add, after "files and directories to add". */
    static final String PATHS = "(directories with everything below them), under the names given (leading '/' and '../'"
            + " removed; '.' is the archive root: -C DIR . stores DIR's contents)";

    /**
     * The PATHS arguments, set by each command's PATHS parameter (a mixin cannot hold positional parameters
     * after index 0, and each command's help says what it does with them).
     */
    List<String> paths = new ArrayList<>();

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR", description = "resolve PATHS relative to DIR (like tar -C)")
    Path directory = Path.of("");

    @Option(names = {"-T", "--files-from"}, paramLabel = "FILE", description =
            "also store the paths listed in FILE ('-': stdin), one per line; a listed directory is stored "
            + "without its contents (list those too, as find does)")
    String filesFrom;

    @Option(names = {"-0", "--null"}, description = "-T lists are separated by NUL bytes (find -print0)")
    boolean nulSeparated;

    @Option(names = "--exclude", paramLabel = "PATTERN", description =
            "leave out entries matching PATTERN (repeatable); a pattern without '/' matches names at any "
            + "depth, one with '/' whole archive paths; * and ? stay within a name, ** crosses '/'. An "
            + "excluded directory is left out with everything in it")
    List<String> excludes = new ArrayList<>();

    @Option(names = {"-i", "--include"}, paramLabel = "PATTERN", description =
            "store only files matching PATTERN, or inside a directory matching it (repeatable; same pattern "
            + "rules as --exclude); directories are stored only when something in them is")
    List<String> includes = new ArrayList<>();

    @Option(names = "--encoding", paramLabel = "CHARSET", converter = EncodingConverter.class, description =
            "encoding of the names found in directories and -T lists (e.g. latin-1, cp1252, shift_jis; "
            + "default UTF-8); PATHS given as arguments are stored as given")
    NameDecoder encoding;

    @Option(names = {"-j", "--workers"}, paramLabel = "N", description =
            "threads reading and checksumming files (default: ${DEFAULT-VALUE}); the archive is the same for "
            + "every N")
    int workers = Math.min(4, Math.max(1, Runtime.getRuntime().availableProcessors()));

    boolean hasInput() {
        return !paths.isEmpty() || filesFrom != null;
    }

    /**
     * The entries to store: PATHS recursively, then the -T list as it is. The archive's own files are
     * never among them.
     */
    Iterator<SourceEntry> entries(Path archive, Progress progress, List<AutoCloseable> toClose) throws IOException {
        SourceWalker walker = new SourceWalker(directory, PathFilter.of(excludes, includes), progress,
                encoding == null ? NameDecoder.UTF_8 : encoding).ignoring(archive);
        Iterator<SourceEntry> named = walker.walk(paths.iterator(), true);
        if (filesFrom == null) {
            return named;
        }
        PathList listed = PathList.open(filesFrom, nulSeparated);
        toClose.add(listed);
        Iterator<SourceEntry> fromList = walker.walkListed(listed, false);
        return concat(named, fromList);
    }

    private static <T> Iterator<T> concat(Iterator<T> a, Iterator<T> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public T next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    static void closeAll(List<AutoCloseable> resources) {
        Collections.reverse(resources);
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception ignored) {
                // input lists only
            }
        }
    }
}
