package org.barecat.tools.extract;

import org.barecat.core.Archive;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.IndexScan;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Tally;
import org.barecat.tools.Totals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Writes archive entries into a directory on disk, the way a careful tar does: an entry whose path
 * has a {@code ..}, empty or {@code .} component or a leading {@code /} is refused (it could land
 * outside the target); no symbolic link found in the target is ever followed (a link where a
 * directory is needed refuses the entry; a link where the file goes is replaced only when
 * overwriting is asked for, and then the link itself, not what it points to); existing files are
 * kept unless overwriting is asked for. Every refused entry is reported and the rest goes on, except
 * when the target's file system refuses a write or is full: that stops the extraction.
 * Bytes are checked against their CRC-32C as they are written; a file whose bytes are wrong is
 * removed. Modes and mtimes are restored, directories' once their contents are written.
 */
public final class Extractor {
    private static final int SUID_SGID = 06000;

    /** What to do when a file to extract is already there. */
    public enum Existing {
        /** Keep it and report a problem. */
        FAIL,
        /** Replace it. */
        OVERWRITE,
        /** Keep it silently (counted as skipped). */
        SKIP
    }

    /** A directory whose metadata is set once the scan has left its subtree. */
    private record OpenDir(String path, Path target, Attributes attributes) {
    }

    private final Archive archive;
    private final Path root;
    private final Existing existing;
    private final boolean sameOwner;
    private final ProgressListener listener;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    private final Set<Path> checkedDirs = new HashSet<>();
    private final Deque<OpenDir> openDirs = new ArrayDeque<>();
    private final Tally tally = new Tally();
    /** The archive directory that {@link #root} stands for ({@code ""}: the archive's root). */
    private String base = "";

    /**
     * @param root      the target directory (created when missing)
     * @param sameOwner also restore owner and group, and set-user/group-ID bits (needs privileges)
     */
    public Extractor(Archive archive, Path root, Existing existing, boolean sameOwner, ProgressListener listener) {
        this.archive = archive;
        this.root = root.toAbsolutePath().normalize();
        this.existing = existing;
        this.sameOwner = sameOwner;
        this.listener = listener;
    }

    /**
     * Makes {@link #root} stand for archive directory {@code dir} instead of the archive's root: an
     * entry {@code dir/x} is written to {@code root/x} (rsync's {@code ARCHIVE::dir}).
     *
     * @return this extractor
     */
    public Extractor under(String dir) {
        this.base = dir;
        return this;
    }

    /** Extracts these files (no directory but those they need), e.g. the ones a sync chose. */
    public Totals extractFiles(List<FileEntry> files) throws IOException {
        Files.createDirectories(root);
        for (FileEntry f : files) {
            extractOne(f);
        }
        return tally.totals();
    }

    /**
     * Extracts the given archive paths (files, or directories with everything below them), or the
     * whole archive when {@code paths} is empty.
     *
     * @throws IOException when the target directory cannot be made, the index cannot be read, or the
     *                     target's file system refuses a write (full, over quota): the message names the
     *                     file, which is removed
     */
    public Totals extract(List<String> paths) throws IOException {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new FileSystemException(root.toString(), null, "not a directory (extracting needs a directory)");
        }
        Files.createDirectories(root);
        if (paths.isEmpty()) {
            extractBelow(""); // the root's own metadata is not put on the target directory
        } else {
            for (String given : paths) {
                String p = ArchivePaths.normalize(given);
                Entry e = p == null ? null : archive.lookup(p).orElse(null);
                if (e == null) {
                    problem(given, "not in the archive");
                    continue;
                }
                if (e instanceof DirEntry) {
                    extractOne(e);
                    extractBelow(p);
                } else {
                    extractOne(e);
                }
                closeDirsNotAbove(null);
            }
        }
        closeDirsNotAbove(null);
        return tally.totals();
    }

    private void extractBelow(String dir) throws IOException {
        IndexScan scan = IndexScan.below(archive, dir);
        for (Entry e = scan.next(); e != null; e = scan.next()) {
            extractOne(e);
        }
    }

    private void extractOne(Entry e) throws IOException {
        closeDirsNotAbove(e.path());
        if (!ArchivePaths.isCanonical(e.path()) && !(e.path().isEmpty() && e instanceof DirEntry)) {
            problem(e.path(), "refused: the path has an empty, '.' or '..' component or a leading '/'");
            return;
        }
        String relative = relative(e.path());
        if (relative == null) {
            problem(e.path(), "not below " + base);
            return;
        }
        Path target = relative.isEmpty() ? root : safeTarget(relative);
        if (target == null) {
            return;
        }
        if (e instanceof DirEntry d) {
            extractDirectory(d, target);
        } else {
            extractFile((FileEntry) e, target);
        }
    }

    /** {@code path} relative to {@link #base}, or null when it is not below it. */
    private String relative(String path) {
        if (base.isEmpty() || path.equals(base)) {
            return base.isEmpty() ? path : "";
        }
        return path.startsWith(base + "/") ? path.substring(base.length() + 1) : null;
    }

    /** Sets the metadata of the directories the scan has left (all of them for {@code null}). */
    private void closeDirsNotAbove(String path) {
        while (!openDirs.isEmpty()) {
            OpenDir top = openDirs.peek();
            boolean above = path != null && path.startsWith(top.path() + "/");
            if (above) {
                return;
            }
            openDirs.pop();
            setMetadata(top.path(), top.target(), top.attributes(), true);
        }
    }

    /**
     * The place on disk for archive path {@code path}, with its parent directories made: null (and a
     * problem reported) when a symbolic link or a non-directory is in the way.
     */
    private Path safeTarget(String path) throws IOException {
        String[] parts = path.split("/");
        Path dir = root;
        for (int i = 0; i < parts.length - 1; i++) {
            dir = dir.resolve(parts[i]);
            if (checkedDirs.contains(dir)) {
                continue;
            }
            try {
                BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    problem(path, "refused: " + dir + " is a symbolic link (never followed)");
                    return null;
                }
                if (!a.isDirectory()) {
                    problem(path, "refused: " + dir + " exists and is not a directory");
                    return null;
                }
            } catch (java.nio.file.NoSuchFileException missing) {
                try {
                    Files.createDirectory(dir);
                } catch (IOException e) {
                    stopIfFull(dir, e);
                    problem(path, "cannot create directory " + dir + ": " + reason(e));
                    return null;
                }
            } catch (IOException e) {
                problem(path, "cannot access " + dir + ": " + reason(e));
                return null;
            }
            if (checkedDirs.size() > 100_000) {
                checkedDirs.clear();
            }
            checkedDirs.add(dir);
        }
        return dir.resolve(parts[parts.length - 1]);
    }

    private void extractDirectory(DirEntry d, Path target) throws IOException {
        try {
            if (!target.equals(root)) {
                BasicFileAttributes a = attributesOrNull(target);
                if (a == null) {
                    Files.createDirectory(target);
                } else if (a.isSymbolicLink() || !a.isDirectory()) {
                    problem(d.path(), "refused: " + target + " exists and is not a directory"
                            + (a.isSymbolicLink() ? " (a symbolic link, never followed)" : ""));
                    return;
                }
            }
            checkedDirs.add(target);
            openDirs.push(new OpenDir(d.path(), target, d.attributes()));
            tally.directory();
            listener.done(d.path(), 0);
        } catch (IOException e) {
            stopIfFull(target, e);
            problem(d.path(), "cannot create directory " + target + ": " + reason(e));
        }
    }

    private static BasicFileAttributes attributesOrNull(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private void extractFile(FileEntry f, Path target) throws IOException {
        BasicFileAttributes present = attributesOrNull(target);
        if (present != null) {
            if (present.isDirectory()) {
                problem(f.path(), "refused: " + target + " is a directory");
                return;
            }
            switch (existing) {
                case FAIL -> {
                    problem(f.path(), "not overwritten: " + target + " exists (use --overwrite to replace it)");
                    return;
                }
                case SKIP -> {
                    tally.skipped();
                    listener.skipped(f.path(), target + " exists");
                    return;
                }
                case OVERWRITE -> Files.delete(target); // a symbolic link is removed, not followed
            }
        }
        CRC32C crc = new CRC32C();
        SeekableByteChannel out;
        try {
            out = Files.newByteChannel(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (FileAlreadyExistsException e) {
            problem(f.path(), "not overwritten: " + target + " appeared while extracting");
            return;
        } catch (IOException e) {
            stopIfFull(target, e);
            problem(f.path(), "cannot create " + target + ": " + reason(e));
            return;
        }
        IOException readFailure = null;
        try (out) {
            long pos = 0;
            while (pos < f.size()) {
                buffer.clear();
                int n;
                try {
                    n = archive.read(f, pos, buffer);
                    if (n <= 0) {
                        throw new IOException("the archive ended early");
                    }
                } catch (IOException e) {
                    readFailure = e;
                    break;
                }
                buffer.flip();
                crc.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                pos += n;
            }
        } catch (IOException e) {
            // a write the target's file system refused (full, over quota, failing): the files after this
            // one would meet it too, each with a line of its own, so the extraction stops here
            Files.deleteIfExists(target);
            throw new FileSystemException(target.toString(), null, "cannot write: " + reason(e)
                    + "; extraction stopped");
        }
        if (readFailure != null) {
            Files.deleteIfExists(target);
            problem(f.path(), "cannot extract: " + reason(readFailure));
            return;
        }
        if (f.crc32c() != null && f.crc32c() != crc.getValue()) {
            Files.deleteIfExists(target);
            problem(f.path(), String.format("not extracted: CRC-32C mismatch (the index says %08x, the bytes give"
                    + " %08x)", f.crc32c(), crc.getValue()));
            return;
        }
        setMetadata(f.path(), target, f.attributes(), false);
        tally.file(f.size());
        listener.done(f.path(), f.size());
    }

    private void setMetadata(String path, Path target, Attributes a, boolean directory) {
        try {
            if (sameOwner && (a.uid() != null || a.gid() != null)) {
                if (a.uid() != null) {
                    Files.setAttribute(target, "unix:uid", a.uid(), LinkOption.NOFOLLOW_LINKS);
                }
                if (a.gid() != null) {
                    Files.setAttribute(target, "unix:gid", a.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            }
            if (a.mode() != null) {
                int mode = a.mode() & 07777;
                if (!sameOwner) {
                    mode &= ~SUID_SGID;
                }
                Files.setAttribute(target, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            }
            if (a.mtimeNs() != null) {
                Files.getFileAttributeView(target, java.nio.file.attribute.BasicFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.from(a.mtimeNs(), TimeUnit.NANOSECONDS), null, null);
            }
        } catch (IOException | UnsupportedOperationException e) {
            problem(path, "cannot set " + (directory ? "directory " : "") + "metadata of " + target + ": "
                    + (e instanceof IOException io ? reason(io) : e.getMessage()));
        }
    }

    /**
     * Stops the extraction when {@code e} says the target's file system is full or over quota:
     * every entry after this one would fail the same way, each with a line of its own.
     */
    private static void stopIfFull(Path target, IOException e) throws FileSystemException {
        String reason = reason(e);
        if (reason.equals("No space left on device") || reason.equals("Disk quota exceeded")) {
            throw new FileSystemException(target.toString(), null, "cannot create: " + reason
                    + "; extraction stopped");
        }
    }

    /**
     * What went wrong, without the file's name: java.nio gives the errno's text as the reason, except
     * for the errnos it has exception classes for (ENOENT, EACCES, EEXIST, ...), whose message is only
     * the file's name.
     */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof java.nio.file.FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        return String.valueOf(e.getMessage());
    }

    private void problem(String path, String message) {
        tally.problem();
        listener.problem(path, message);
    }
}
