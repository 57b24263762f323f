package org.barecat.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * Walks the files and directories named on a command line, as tar does: each named path is stored
 * under the name given (a leading {@code /} and leading {@code ../} removed, {@code .} meaning the
 * archive root), a directory with everything below it. Entries come depth first, each
 * directory's children sorted by name, so the same tree always gives the same archive. Symbolic
 * links, devices, sockets and pipes are not stored: each is reported as skipped. Errors (an
 * unreadable directory, a path that vanished) are reported and the walk goes on.
 * Memory: one directory's names per level of depth.
 */
public final class SourceWalker {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    private final Path baseDir;
    private final PathFilter filter;
    private final ProgressListener listener;
    private final Path archiveDir;
    private final String archiveName;

    /**
     * @param baseDir  relative paths are resolved against it (tar's {@code -C})
     * @param listener hears of skipped entries and errors
     */
    public SourceWalker(Path baseDir, PathFilter filter, ProgressListener listener) {
        this(baseDir, filter, listener, null, null);
    }

    private SourceWalker(Path baseDir, PathFilter filter, ProgressListener listener, Path archiveDir,
                         String archiveName) {
        this.baseDir = baseDir;
        this.filter = filter;
        this.listener = listener;
        this.archiveDir = archiveDir;
        this.archiveName = archiveName;
    }

    /**
     * A walker that leaves out the files of the archive being written ({@code archive}, its shards,
     * its temporary and legacy index names), as tar leaves out the archive it writes.
     */
    public SourceWalker ignoring(Path archive) {
        Path abs = archive.toAbsolutePath().normalize();
        return new SourceWalker(baseDir, filter, listener, abs.getParent(), String.valueOf(abs.getFileName()));
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
     * The entries for {@code given} paths, in order.
     *
     * @param recursive whether a named directory brings everything below it (command-line paths) or
     *                  only itself (paths listed by {@code find})
     */
    public Iterator<SourceEntry> walk(Iterator<String> given, boolean recursive) {
        return new Walk(given, recursive);
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
        final Iterator<String> children;
        SourceEntry pending;

        Frame(Path dir, String archiveDir, Iterator<String> children, SourceEntry pending) {
            this.dir = dir;
            this.archiveDir = archiveDir;
            this.children = children;
            this.pending = pending;
        }
    }

    private final class Walk implements Iterator<SourceEntry> {
        private final Iterator<String> roots;
        private final boolean recursive;
        private final Deque<Frame> stack = new ArrayDeque<>();
        private final ArrayDeque<SourceEntry> ready = new ArrayDeque<>();

        Walk(Iterator<String> roots, boolean recursive) {
            this.roots = roots;
            this.recursive = recursive;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty()) {
                Frame top = stack.peek();
                if (top != null) {
                    if (top.children.hasNext()) {
                        String name = top.children.next();
                        visit(top.dir.resolve(name), ArchivePaths.child(top.archiveDir, name), recursive);
                    } else {
                        stack.pop();
                    }
                } else if (roots.hasNext()) {
                    String given = roots.next();
                    String stored = storedName(given);
                    if (!stored.equals(Path.of(given).normalize().toString()) && !stored.isEmpty()) {
                        listener.note(given, "leading '/' or '../' removed: stored as " + stored);
                    }
                    visit(baseDir.resolve(given), stored, recursive);
                } else {
                    return false;
                }
            }
            return true;
        }

        @Override
        public SourceEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void visit(Path source, String archivePath, boolean descend) {
            if (!archivePath.isEmpty() && filter.excludes(archivePath)) {
                return;
            }
            String shown = source.normalize().toString();
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
                    if (filter.includesFile(archivePath)) {
                        flushPending();
                        ready.add(new SourceEntry(source, archivePath, false, (Long) a.get("size"), attributes));
                    }
                }
                case S_IFDIR -> {
                    SourceEntry dir = new SourceEntry(source, archivePath, true, 0, attributes);
                    if (!descend) {
                        if (!filter.hasIncludes()) {
                            ready.add(dir);
                        }
                        return;
                    }
                    List<String> names = list(source);
                    if (filter.hasIncludes()) {
                        stack.push(new Frame(source, archivePath, names.iterator(), dir));
                    } else {
                        ready.add(dir);
                        stack.push(new Frame(source, archivePath, names.iterator(), null));
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

        private List<String> list(Path dir) {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    names.add(child.getFileName().toString());
                }
            } catch (IOException e) {
                listener.problem(dir.toString(), "cannot read directory: " + e.getMessage());
            }
            names.sort(DirectoryListing::compareUtf8);
            return names;
        }
    }
}
