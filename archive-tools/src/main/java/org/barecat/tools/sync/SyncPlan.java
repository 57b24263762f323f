package org.barecat.tools.sync;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.Glob;
import org.barecat.core.IndexScan;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.write.PathFilter;
import org.barecat.tools.write.SourceEntry;
import org.barecat.tools.write.SourceWalker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code barecat rsync} would do, worked out before anything is written, as the original
 * decides it: a file is sent when the destination lacks it or has it with another size or mtime (to
 * the nanosecond); {@code -u} keeps a destination file that is as new or newer; {@code -c} compares
 * CRC-32Cs between archives and otherwise sends every file; {@code --exclude} patterns match names
 * ({@code fnmatch}, also pruning directories of a local walk) and {@code --include} only rescues an
 * excluded name. {@code --delete} removes the destination's files below each transferred tree that
 * no source has (an excluded source file is kept). The plan is then carried out by the archive
 * writers or the extractor, or only printed ({@code -n}). Lines go to {@code say} in the original's
 * words.
 */
public final class SyncPlan {
    /**
     * The flags that change the plan.
     *
     * @param progress a real run also prints its archive-to-archive {@code copy:} lines (the original's rule)
     */
    public record Options(boolean update, boolean checksum, boolean delete, boolean progress, List<String> includes,
                          List<String> excludes) {
        public Options {
            includes = List.copyOf(includes);
            excludes = List.copyOf(excludes);
        }
    }

    /** What is sent: a local file or directory, or an archive's files. */
    public sealed interface Source permits LocalSource, ArchiveSource {
    }

    /**
     * A local file or directory to send into an archive.
     *
     * @param contents a trailing {@code /}: its contents go straight into the destination directory
     */
    public record LocalSource(String path, boolean contents) implements Source {
    }

    /** Files of an archive, below {@code inner}, to bring into a local directory or another archive. */
    public record ArchiveSource(Path archive, String inner, boolean contents) implements Source {
        /** The directory name it arrives as without {@code contents}: the inner path's name, else the archive's. */
        String name() {
            if (!inner.isEmpty()) {
                return inner.substring(inner.lastIndexOf('/') + 1);
            }
            String name = String.valueOf(archive.getFileName());
            if (name.endsWith(ArchiveFiles.LEGACY_INDEX_SUFFIX)) {
                name = name.substring(0, name.length() - ArchiveFiles.LEGACY_INDEX_SUFFIX.length());
            }
            return name.endsWith(".barecat") ? name.substring(0, name.length() - ".barecat".length()) : name;
        }
    }

    /** A file of another archive to copy to {@code target}. */
    public record Copy(Path archive, FileEntry file, String target) {
    }

    /**
     * Into an archive: the local files to store (at their archive paths), the files of other archives
     * to copy, and the archive files to delete.
     */
    public record ToArchive(List<SourceEntry> stores, List<Copy> copies, List<String> deletions) {
    }

    /** One archive's files to extract into {@code root} (the directory that {@code inner} becomes). */
    public record Extraction(ArchiveSource source, Path root, List<FileEntry> files) {
    }

    /** Into a directory: the extractions, and the local files to delete. */
    public record ToLocal(List<Extraction> extractions, List<Path> deletions) {
    }

    private final Options options;
    private final boolean dryRun;
    private final boolean verbose;
    private final java.util.function.Consumer<String> say;
    private final List<Glob> excludes;
    private final List<Glob> includes;

    /**
     * @param dryRun  print {@code would ...} lines for what would be done
     * @param verbose print a line for each file sent, skipped or deleted (a real run prints its
     *                {@code add:}, {@code extract:} and {@code delete:} lines only then)
     */
    public SyncPlan(Options options, boolean dryRun, boolean verbose, java.util.function.Consumer<String> say) {
        this.options = options;
        this.dryRun = dryRun;
        this.verbose = verbose;
        this.say = say;
        this.excludes = options.excludes().stream().map(Glob::compileCrossingSlashes).toList();
        this.includes = options.includes().stream().map(Glob::compileCrossingSlashes).toList();
    }

    /** The original's {@code _is_excluded}: an exclude matches the name and no include does. */
    boolean excluded(String name) {
        return excludes.stream().anyMatch(g -> g.matches(name)) && includes.stream().noneMatch(g -> g.matches(name));
    }

    private void tell(boolean always, String line) {
        if (always || verbose) {
            say.accept(line);
        }
    }

    /**
     * Plans sending local files into the archive at {@code destPrefix}. {@code dest} is the
     * destination archive as it is now, or null when there is none yet.
     */
    public ToArchive toArchive(List<? extends Source> sources, Archive dest, Path destArchive, String destPrefix,
                               ProgressListener listener) throws IOException {
        List<SourceEntry> stores = new ArrayList<>();
        List<Copy> copies = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        List<String> trees = new ArrayList<>();
        for (Source source : sources) {
            if (source instanceof ArchiveSource src) {
                String prefix = src.contents() ? destPrefix : ArchivePaths.child(destPrefix, src.name());
                trees.add(prefix);
                forEachFile(src, (f, relative) -> {
                    String target = ArchivePaths.child(prefix, relative);
                    expected.add(target);
                    if (excluded(relative.substring(relative.lastIndexOf('/') + 1))) {
                        return;
                    }
                    FileEntry old = fileIn(dest, target);
                    if (old != null && unchanged(target, old.size(), old.attributes().mtimeNs(), f.size(),
                            f.attributes().mtimeNs(), old.crc32c(), f.crc32c())) {
                        return;
                    }
                    String verb = old != null ? "update" : "copy";
                    tell(dryRun || options.progress(), dryRun ? "would " + verb + ": " + f.path() + " -> " + target
                            : verb + ": " + target);
                    copies.add(new Copy(src.archive(), f, target));
                });
                continue;
            }
            LocalSource src = (LocalSource) source;
            Path path = Path.of(src.path());
            if (!Files.exists(path)) {
                throw new NoSuchFileException(src.path(), null, "no such file or directory");
            }
            Path fileName = path.toAbsolutePath().normalize().getFileName();
            String name = fileName == null ? "" : fileName.toString();
            String prefix = src.contents() ? destPrefix : ArchivePaths.child(destPrefix, name);
            if (Files.isDirectory(path)) {
                trees.add(prefix);
            }
            // walked from its parent under its own name, so that an absolute path is no note about a leading '/'
            Path absolute = path.toAbsolutePath().normalize();
            String root = absolute.getParent() == null ? "" : name;
            Path from = absolute.getParent() == null ? absolute : absolute.getParent();
            Iterator<SourceEntry> walk = new SourceWalker(from, PathFilter.ALL, listener).ignoring(destArchive)
                    .walk(List.of(root.isEmpty() ? "." : root).iterator(), true);
            while (walk.hasNext()) {
                SourceEntry e = walk.next();
                if (e.directory()) {
                    continue; // directories come into being as the files' ancestors, as in the original
                }
                String relative = root.isEmpty() ? e.archivePath()
                        : e.archivePath().equals(root) ? "" : e.archivePath().substring(root.length() + 1);
                String target = relative.isEmpty() ? prefix : ArchivePaths.child(prefix, relative);
                expected.add(target);
                if (anyExcluded(relative)) {
                    continue;
                }
                FileEntry old = fileIn(dest, target);
                if (old != null && unchanged(target, old.size(), old.attributes().mtimeNs(), e.size(),
                        e.attributes().mtimeNs(), null, null)) {
                    continue;
                }
                String verb = old != null ? "update" : "add";
                tell(dryRun, (dryRun ? "would " : "") + verb + ": " + target);
                stores.add(new SourceEntry(e.source(), target, e.shown(), false, e.size(), e.attributes()));
            }
        }
        Set<String> deletions = new LinkedHashSet<>();
        if (options.delete() && dest != null) {
            for (String tree : new TreeSet<>(trees)) {
                IndexScan scan = IndexScan.filesBelow(dest, tree);
                for (Entry e = scan.next(); e != null; e = scan.next()) {
                    if (!expected.contains(e.path()) && deletions.add(e.path())) {
                        tell(dryRun, (dryRun ? "would delete: " : "delete: ") + e.path());
                    }
                }
            }
        }
        return new ToArchive(stores, copies, List.copyOf(deletions));
    }

    /**
     * Plans bringing archive files into the local directory {@code dest}, which messages call
     * {@code destShown} (as the user wrote it).
     */
    public ToLocal toLocal(List<ArchiveSource> sources, String destShown) throws IOException {
        Path dest = Path.of(destShown);
        List<Extraction> extractions = new ArrayList<>();
        Set<Path> expected = new HashSet<>();
        List<String> trees = new ArrayList<>();
        for (ArchiveSource src : sources) {
            String rootShown = src.contents() ? destShown : join(destShown, src.name());
            Path root = src.contents() ? dest : dest.resolve(src.name());
            trees.add(rootShown);
            List<FileEntry> files = new ArrayList<>();
            forEachFile(src, (f, relative) -> {
                Path target = root.resolve(relative);
                String shown = join(rootShown, relative);
                expected.add(target.toAbsolutePath().normalize());
                if (excluded(relative.substring(relative.lastIndexOf('/') + 1))) {
                    return;
                }
                BasicFileAttributes present = attributesOrNull(target);
                if (present != null && unchanged(shown, f.size(), f.attributes().mtimeNs(), present.size(),
                        present.lastModifiedTime().to(TimeUnit.NANOSECONDS), null, null)) {
                    return;
                }
                tell(dryRun, (dryRun ? "would extract: " : "extract: ") + shown);
                files.add(f);
            });
            extractions.add(new Extraction(src, root, files));
        }
        Set<Path> deletions = new LinkedHashSet<>();
        if (options.delete()) {
            for (String tree : new TreeSet<>(trees)) {
                Path dir = Path.of(tree);
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                                && !expected.contains(p.toAbsolutePath().normalize()) && deletions.add(p)) {
                            tell(dryRun, (dryRun ? "would delete: " : "delete: ") + p);
                        }
                    }
                }
            }
        }
        return new ToLocal(extractions, List.copyOf(deletions));
    }

    /** What is done with each file of a source archive, and its path relative to the source's inner path. */
    private interface FileAction {
        void accept(FileEntry file, String relative) throws IOException;
    }

    private static void forEachFile(ArchiveSource src, FileAction action) throws IOException {
        try (Archive archive = Archive.open(src.archive())) {
            if (!src.inner().isEmpty() && archive.lookup(src.inner()).isEmpty()) {
                throw new NoSuchFileException(src.archive() + "::" + src.inner(), null, "not in the archive");
            }
            IndexScan scan = IndexScan.filesBelow(archive, src.inner());
            for (Entry e = scan.next(); e != null; e = scan.next()) {
                String relative = src.inner().isEmpty() ? e.path() : e.path().substring(src.inner().length() + 1);
                action.accept((FileEntry) e, relative);
            }
        }
    }

    /** The file at {@code path} in {@code archive}, or null (also when there is no archive yet). */
    private static FileEntry fileIn(Archive archive, String path) throws IOException {
        Optional<Entry> there = archive == null ? Optional.empty() : archive.lookup(path);
        return there.filter(FileEntry.class::isInstance).map(FileEntry.class::cast).orElse(null);
    }

    /** Whether a name along {@code relative} (a path below a walked directory) is excluded. */
    private boolean anyExcluded(String relative) {
        for (String name : relative.split("/")) {
            if (!name.isEmpty() && excluded(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the destination's copy stays ({@code -u}: it is as new or newer; {@code -c}: the same
     * CRC-32C, which only archive-to-archive has on both sides; else: same size and mtime), printing
     * why with {@code -v}.
     */
    private boolean unchanged(String shown, long destSize, Long destMtimeNs, long srcSize, Long srcMtimeNs,
                              Long destCrc, Long srcCrc) {
        if (options.update() && destMtimeNs != null && srcMtimeNs != null && destMtimeNs >= srcMtimeNs) {
            tell(false, "skip (newer): " + shown);
            return true;
        }
        if (options.checksum() && srcCrc != null && srcCrc.equals(destCrc)) { // both archives: compare the CRCs
            tell(false, "skip (checksum match): " + shown);
            return true;
        }
        if (!options.checksum() && destSize == srcSize && java.util.Objects.equals(destMtimeNs, srcMtimeNs)) {
            tell(false, "skip (unchanged): " + shown);
            return true;
        }
        return false;
    }

    private static BasicFileAttributes attributesOrNull(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String join(String dir, String name) {
        return name.isEmpty() ? dir : dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
