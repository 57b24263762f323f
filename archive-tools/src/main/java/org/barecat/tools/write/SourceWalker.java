package org.barecat.tools.write;

import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.internal.IndexRows;
import org.barecat.tools.ProgressListener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Walks the files and directories named on a command line, as tar does: each named path is stored
 * under the name given (a leading {@code /} and leading {@code ../} removed, {@code .} meaning the
 * archive root), a directory with everything below it. Entries come depth first, each
 * directory's children sorted by name, so the same tree always gives the same archive. Symbolic
 * links, devices, sockets and pipes are not stored: each is reported as skipped. Errors (an
 * unreadable directory, a path that vanished) are reported and the walk goes on.
 * Names found in directories and in lists are bytes, decoded exactly with a {@link NameDecoder}: one
 * that is not valid text is reported and not stored (a directory with nothing below it).
 * Memory: one directory's names per level of depth.
 */
public final class SourceWalker {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /**
     * Whether the JVM turns file names into text as UTF-8: then a name's text is exact unless it has
     * U+FFFD, which stands in for bytes that are not UTF-8 (the launchers set sun.jnu.encoding).
     */
    private static final boolean JNU_UTF8 = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

    private final Path baseDir;
    private final PathFilter filter;
    private final ProgressListener listener;
    private final NameDecoder names;
    private final Path archiveDir;
    private final String archiveName;

    /**
     * @param baseDir  relative paths are resolved against it (tar's {@code -C})
     * @param listener hears of skipped entries and errors
     */
    public SourceWalker(Path baseDir, PathFilter filter, ProgressListener listener) {
        this(baseDir, filter, listener, NameDecoder.UTF_8);
    }

    /** A walker that decodes the names it finds with {@code names}. */
    public SourceWalker(Path baseDir, PathFilter filter, ProgressListener listener, NameDecoder names) {
        this(baseDir, filter, listener, names, null, null);
    }

    private SourceWalker(Path baseDir, PathFilter filter, ProgressListener listener, NameDecoder names,
                         Path archiveDir, String archiveName) {
        this.baseDir = baseDir;
        this.filter = filter;
        this.listener = listener;
        this.names = names;
        this.archiveDir = archiveDir;
        this.archiveName = archiveName;
    }

    /**
     * A walker that leaves out the files of the archive being written ({@code archive}, its shards,
     * its temporary and legacy index names), as tar leaves out the archive it writes.
     */
    public SourceWalker ignoring(Path archive) {
        Path abs = archive.toAbsolutePath().normalize();
        return new SourceWalker(baseDir, filter, listener, names, abs.getParent(), String.valueOf(abs.getFileName()));
    }

    private boolean isArchiveFile(Path source) {
        if (archiveName == null) {
            return false;
        }
        String name = String.valueOf(source.getFileName());
        if (!name.startsWith(archiveName)) {
            return false;
        }
        String rest = name.substring(archiveName.length());
        boolean ours = rest.isEmpty() || rest.startsWith("-shard-") || rest.equals(".incomplete")
                || rest.startsWith(ArchiveFiles.LEGACY_INDEX_SUFFIX) || rest.equals("-journal") || rest.equals("-wal")
                || rest.equals("-shm");
        return ours && archiveDir.equals(source.toAbsolutePath().normalize().getParent());
    }

    /**
     * The entries for {@code given} paths (text, as a command line gives them: stored as given), in order.
     *
     * @param recursive whether a named directory brings everything below it (command-line paths) or
     *                  only itself (paths listed by {@code find})
     */
    public Iterator<SourceEntry> walk(Iterator<String> given, boolean recursive) {
        return new Walk(roots(given, path -> new Root(path, path.getBytes(StandardCharsets.UTF_8), false)), recursive);
    }

    /**
     * The entries for {@code given} paths as bytes (read from a list), in order: each found on disk by
     * its bytes and stored under its name decoded like the names found in directories.
     */
    public Iterator<SourceEntry> walkListed(Iterator<byte[]> given, boolean recursive) {
        return new Walk(roots(given, path -> new Root(NameDecoder.utf8(path), path, true)), recursive);
    }

    private static <T> Iterator<Root> roots(Iterator<T> given, Function<T, Root> root) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return given.hasNext();
            }

            @Override
            public Root next() {
                return root.apply(given.next());
            }
        };
    }

    /**
     * A path to walk from: {@code text} is its exact text, null when its bytes are not UTF-8;
     * {@code decode} when the name to store is its bytes decoded, else its text.
     */
    private record Root(String text, byte[] bytes, boolean decode) {
    }

    /**
     * A name in a directory: its exact text when the JVM's is, else its bytes and the path (which
     * keeps them: a path made again from text would name another file).
     */
    private record Listed(String text, byte[] raw, Path path) {
        byte[] bytes() {
            return raw != null ? raw : text.getBytes(StandardCharsets.UTF_8);
        }

        static int compare(Listed a, Listed b) {
            return a.text != null && b.text != null ? IndexRows.compareUtf8(a.text, b.text)
                    : Arrays.compareUnsigned(a.bytes(), b.bytes());
        }
    }

    /** The bytes of a file name whose text the JVM could not make exactly, from its file: URI's %XX escapes. */
    private static byte[] rawName(Path fileName) {
        String uri = fileName.toUri().getRawPath();
        int end = uri.endsWith("/") ? uri.length() - 1 : uri.length();
        String escaped = uri.substring(uri.lastIndexOf('/', end - 1) + 1, end);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%' && i + 2 < escaped.length()) {
                bytes.write(Integer.parseInt(escaped, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(c); // the URI escapes everything that is not ASCII
            }
        }
        return bytes.toByteArray();
    }

    /** A path from bytes that are not UTF-8: java.nio makes one only from a file: URI, whose %XX escapes are bytes. */
    private Path rawPath(byte[] given) {
        StringBuilder uri = new StringBuilder("file://");
        if (given.length == 0 || given[0] != '/') {
            String base = baseDir.toAbsolutePath().toUri().getRawPath();
            uri.append(base).append(base.endsWith("/") ? "" : "/");
        }
        for (byte b : given) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "/-._~".indexOf(c) >= 0)) {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /**
     * The archive path a named path is stored under: lexically normalised, without leading
     * {@code /} or {@code ../}; {@code ""} (the root) for {@code .}.
     */
    public static String storedName(String given) {
        String p = Path.of(given).normalize().toString();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.equals("..") || p.startsWith("../")) {
            p = p.length() <= 3 ? "" : p.substring(3);
        }
        return p;
    }

    /** One directory being walked: its children still to visit. */
    private static final class Frame {
        final Path dir;
        final String archiveDir;
        final String shown;
        final Iterator<Listed> children;
        SourceEntry pending;

        Frame(Path dir, String archiveDir, String shown, Iterator<Listed> children, SourceEntry pending) {
            this.dir = dir;
            this.archiveDir = archiveDir;
            this.shown = shown;
            this.children = children;
            this.pending = pending;
        }
    }

    private final class Walk implements Iterator<SourceEntry> {
        private final Iterator<Root> roots;
        private final boolean recursive;
        private final Deque<Frame> stack = new ArrayDeque<>();
        private final ArrayDeque<SourceEntry> ready = new ArrayDeque<>();

        Walk(Iterator<Root> roots, boolean recursive) {
            this.roots = roots;
            this.recursive = recursive;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty()) {
                Frame top = stack.peek();
                if (top != null) {
                    if (top.children.hasNext()) {
                        visitChild(top, top.children.next());
                    } else {
                        stack.pop();
                    }
                } else if (roots.hasNext()) {
                    visitRoot(roots.next());
                } else {
                    return false;
                }
            }
            return true;
        }

        private void visitChild(Frame dir, Listed child) {
            Path source = child.path() != null ? child.path() : dir.dir.resolve(child.text());
            String name = child.text() != null && names == NameDecoder.UTF_8 ? child.text()
                    : names.decode(child.bytes());
            String shown = join(dir.shown, child.text() != null ? child.text()
                    : name != null ? name : NameDecoder.escape(child.bytes()));
            String archivePath = name == null ? null : ArchivePaths.child(dir.archiveDir, name);
            String filtered = name != null ? archivePath
                    : ArchivePaths.child(dir.archiveDir, new String(child.bytes(), StandardCharsets.UTF_8));
            visit(source, archivePath, filtered, shown, recursive);
        }

        private void visitRoot(Root root) {
            String text = root.text() != null ? root.text() : NameDecoder.escape(root.bytes());
            String shown = baseDir.resolve(text).normalize().toString();
            Path source;
            try {
                source = root.text() != null ? baseDir.resolve(root.text()) : rawPath(root.bytes());
            } catch (IllegalArgumentException e) {
                listener.problem(shown, "not a usable path: " + e.getMessage());
                return;
            }
            String given = root.decode() ? names.decode(root.bytes()) : root.text();
            if (given == null) {
                visit(source, null, storedName(new String(root.bytes(), StandardCharsets.UTF_8)), shown, recursive);
                return;
            }
            String stored = storedName(given);
            if (!stored.equals(Path.of(given).normalize().toString()) && !stored.isEmpty()) {
                listener.note(text, "leading '/' or '../' removed: stored as " + stored);
            }
            visit(source, stored, stored, shown, recursive);
        }

        @Override
        public SourceEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /**
         * @param archivePath where it goes in the archive; null when its name is not valid text
         * @param filtered    the path the filters see (for a name that is not text, its text with U+FFFD)
         * @param shown       how messages name it
         */
        private void visit(Path source, String archivePath, String filtered, String shown, boolean descend) {
            if (!filtered.isEmpty() && filter.excludes(filtered)) {
                return;
            }
            if (isArchiveFile(source)) {
                listener.note(shown, "the archive being written; not stored");
                return;
            }
            Map<String, Object> a;
            try {
                a = Files.readAttributes(source, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                listener.problem(shown, "no such file or directory");
                return;
            } catch (IOException | UnsupportedOperationException e) {
                listener.problem(shown, "cannot stat: " + e.getMessage());
                return;
            }
            int mode = (Integer) a.get("mode");
            Attributes attributes = new Attributes(mode, (Integer) a.get("uid"), (Integer) a.get("gid"),
                    ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
            switch (mode & S_IFMT) {
                case S_IFREG -> {
                    if (!filter.includesFile(filtered)) {
                        return;
                    }
                    if (archivePath == null) {
                        listener.undecodableName(shown, names.encodingName());
                        return;
                    }
                    flushPending();
                    ready.add(new SourceEntry(source, archivePath, shown, false, (Long) a.get("size"), attributes));
                }
                case S_IFDIR -> {
                    if (archivePath == null) {
                        listener.undecodableName(shown + "/", names.encodingName());
                        return;
                    }
                    SourceEntry dir = new SourceEntry(source, archivePath, shown, true, 0, attributes);
                    if (!descend) {
                        if (!filter.hasIncludes()) {
                            ready.add(dir);
                        }
                        return;
                    }
                    List<Listed> children = list(source, shown);
                    if (filter.hasIncludes()) {
                        stack.push(new Frame(source, archivePath, shown, children.iterator(), dir));
                    } else {
                        ready.add(dir);
                        stack.push(new Frame(source, archivePath, shown, children.iterator(), null));
                    }
                }
                case S_IFLNK -> listener.skipped(shown, "symbolic link not stored");
                default -> listener.skipped(shown, "not a regular file or directory");
            }
        }

        /** With include patterns, a directory is stored only once something below it is. */
        private void flushPending() {
            Iterator<Frame> outermostFirst = stack.descendingIterator();
            while (outermostFirst.hasNext()) {
                Frame f = outermostFirst.next();
                if (f.pending != null) {
                    ready.add(f.pending);
                    f.pending = null;
                }
            }
        }

        private List<Listed> list(Path dir, String shown) {
            List<Listed> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path child : stream) {
                    Path fileName = child.getFileName();
                    String text = fileName.toString();
                    if (JNU_UTF8 && text.indexOf('\uFFFD') < 0) {
                        children.add(new Listed(text, null, null));
                    } else {
                        children.add(new Listed(null, rawName(fileName), child));
                    }
                }
            } catch (IOException e) {
                listener.problem(shown, "cannot read directory: " + e.getMessage());
            }
            children.sort(Listed::compare);
            return children;
        }
    }
}
