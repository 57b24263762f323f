package org.barecat.tools.merge;

import org.barecat.core.Archive;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.tools.ArchiveFileStream;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.convert.ArchiveFormat;
import org.barecat.tools.convert.ArchiveImport;
import org.barecat.tools.write.ArchiveSink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies the entries of several archives (Barecat, tar in any compression, zip) into one sink, in the
 * order given: each under an optional prefix, the files a {@link Selection} takes, a path that is
 * already in the output either refused or, with {@code ignoreDuplicates}, left as its first copy.
 * Without a selection that filters, directories keep their metadata and empty ones are kept; with
 * one, directories are made only where a taken file needs them. File bytes are copied file by file,
 * so the gaps of the inputs are not.
 */
public final class ArchiveMerge {
    /** What {@link #merge} does besides copying. */
    public record Options(String prefix, boolean asSubdirs, Selection selection, boolean ignoreDuplicates) {
        public Options {
            prefix = prefix == null ? "" : ArchivePaths.normalize(prefix);
            if (prefix == null) {
                throw new IllegalArgumentException("--prefix: not a valid archive path");
            }
        }
    }

    /** A path that two inputs both have, when duplicates are not ignored. */
    public static final class DuplicatePathException extends IOException {
        public DuplicatePathException(String path, Path input) {
            super(path + ": in " + input + " and already in the output (use --ignore-duplicates to keep the first)");
        }
    }

    /**
     * What the original prints on stdout when it recomputes every directory's statistics (its
     * {@code update_treestats}: after a filtered merge of a Barecat input, and in upgrade).
     */
    public static final List<String> TREESTATS_LINES = List.of("Creating temporary tables for file counts",
            "Creating temporary tables for subdir counts", "Updating dirs table with treestats");

    private ArchiveMerge() {
    }

    /**
     * Copies every input into {@code sink}; {@code say} gets the original's line per input
     * ({@code Merging files from INPUT}). The caller closes or aborts the sink.
     */
    public static void merge(List<Path> inputs, ArchiveSink sink, Options options, Consumer<String> say,
                             ProgressListener listener) throws IOException {
        Set<String> taken = new HashSet<>();
        for (Path input : inputs) {
            String prefix = prefixFor(input, options);
            say.accept(mergingLine(input, prefix));
            Into into = new Into(sink, prefix, options, input, taken);
            ArchiveFormat format = ArchiveFormat.byName(input.getFileName().toString());
            try {
                if (format == ArchiveFormat.ZIP) {
                    ArchiveImport.fromZip(input, into, listener);
                } else if (format.isTar()) {
                    try (InputStream in = Files.newInputStream(input)) {
                        ArchiveImport.fromTar(in, into, listener);
                    }
                } else {
                    copyBarecat(input, into, listener);
                    if (options.selection().filters()) {
                        // the original recomputes the directory statistics here and prints its progress
                        TREESTATS_LINES.forEach(say);
                    }
                }
            } catch (DuplicatePathException | java.nio.file.FileSystemException e) {
                throw e; // these name their file
            } catch (IOException e) {
                // a tar or zip library's message ("Corrupted TAR archive.") names no file
                throw new IOException(input + ": " + e.getMessage(), e);
            }
        }
    }

    /** The directory {@code input}'s entries go under: {@code --prefix}, then its {@code --as-subdirs} name. */
    public static String prefixFor(Path input, Options options) {
        return options.asSubdirs() ? ArchivePaths.child(options.prefix(), subdirName(input)) : options.prefix();
    }

    /** The line the original prints as it starts on an input. */
    public static String mergingLine(Path input, String prefix) {
        return "Merging files from " + input + (prefix.isEmpty() ? "" : " -> " + prefix + "/");
    }

    /** The original's {@code --as-subdirs} name: the file name without one archive extension, lower-cased. */
    static String subdirName(Path input) {
        String name = input.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : List.of(".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz2", ".txz", ".tar", ".zip",
                ".barecat")) {
            if (lower.endsWith(ext)) {
                return lower.substring(0, lower.length() - ext.length());
            }
        }
        return name;
    }

    private static void copyBarecat(Path input, Into into, ProgressListener listener) throws IOException {
        try (Archive archive = Archive.open(input)) {
            Deque<String> dirs = new ArrayDeque<>();
            dirs.push("");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            while (!dirs.isEmpty()) {
                String dir = dirs.pop();
                DirectoryListing<Entry> listing = archive.list(dir);
                while (listing.hasNext()) {
                    Entry e = listing.next();
                    if (e instanceof DirEntry d) {
                        into.addDirectory(d.path(), d.attributes());
                        dirs.push(d.path());
                    } else if (e instanceof FileEntry f && into.takes(f.path())) {
                        into.add(f.path(), new ArchiveFileStream(archive, f, buffer), f.size(), f.attributes());
                        listener.done(f.path(), f.size());
                    }
                }
            }
        }
    }

    /** The sink as one input sees it: paths prefixed, files selected, duplicates refused or skipped. */
    private static final class Into implements ArchiveSink {
        private final ArchiveSink sink;
        private final String prefix;
        private final Options options;
        private final Path input;
        private final Set<String> taken;

        Into(ArchiveSink sink, String prefix, Options options, Path input, Set<String> taken) {
            this.sink = sink;
            this.prefix = prefix;
            this.options = options;
            this.input = input;
            this.taken = taken;
        }

        boolean takes(String path) {
            return options.selection().test(path);
        }

        private String prefixed(String path) {
            return path.isEmpty() ? prefix : prefix.isEmpty() ? path : prefix + "/" + path;
        }

        /** Whether to store file {@code path} (already prefixed): not when it was taken before and duplicates are ignored. */
        private boolean claim(String path) throws IOException {
            if (taken.add(path) && !sink.skips(path)) {
                return true;
            }
            if (options.ignoreDuplicates()) {
                return false;
            }
            throw new DuplicatePathException(path, input);
        }

        @Override
        public void addDirectory(String path, Attributes attributes) throws IOException {
            if (!options.selection().filters()) {
                sink.addDirectory(prefixed(path), attributes);
            }
        }

        @Override
        public FileEntry add(String path, InputStream data, long size, Attributes attributes) throws IOException {
            String p = prefixed(path);
            return takes(path) && claim(p) ? sink.add(p, data, size, attributes) : null;
        }

        @Override
        public FileEntry addUpTo(String path, InputStream data, long maxSize, Attributes attributes) throws IOException {
            String p = prefixed(path);
            return takes(path) && claim(p) ? sink.addUpTo(p, data, maxSize, attributes) : null;
        }

        @Override
        public FileEntry add(String path, ByteBuffer data, long crc32c, Attributes attributes) throws IOException {
            String p = prefixed(path);
            return takes(path) && claim(p) ? sink.add(p, data, crc32c, attributes) : null;
        }

        @Override
        public void close() {
            // the caller closes the real sink
        }

        @Override
        public void abort() {
            // the caller aborts the real sink
        }
    }
}
