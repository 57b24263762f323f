package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFiles;
import org.barecat.core.ArchivePaths;
import org.barecat.tools.ArchiveFileStream;
import org.barecat.tools.Totals;
import org.barecat.tools.convert.ArchiveFormat;
import org.barecat.tools.extract.Extractor;
import org.barecat.tools.sync.SyncPlan;
import org.barecat.tools.write.ArchiveAppender;
import org.barecat.tools.write.ArchiveSink;
import org.barecat.tools.write.ArchiveWriter;
import org.barecat.tools.write.Packer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code barecat rsync SRC... DEST}: directories or archives into an archive, or archives into a directory. */
@Command(name = "rsync", sortOptions = false,
        description = {"""
                Sync files between local directories and archives, either way, as the original barecat rsync.""",
                "",
                """
                ARCHIVE::PATH names PATH inside a Barecat archive (ARCHIVE:: its root); a trailing / sends a \
                source's contents rather than the source itself; \\:: is a literal ::.""",
                "",
                """
                Into an archive (created when missing), from directories or other archives: new and changed \
                files (size or mtime; -c: CRC-32C between archives) are stored in one transaction committed at \
                the end, so an interrupted sync leaves the archive as it was; refused while the archive is \
                mounted. Into a directory: through extract's safe writer (checksums checked, no symbolic link \
                followed).""",
                "",
                """
                --delete removes the destination's files, below each tree sent, that no source has."""})
final class RsyncCommand implements Callable<Integer> {
    @Option(names = {"-n", "--dry-run"}, description = "Show what would be done.")
    boolean dryRun;

    @Option(names = {"-v", "--verbose"}, description = "Print each file sent, skipped or deleted.")
    boolean verbose;

    @Option(names = "--progress", description = "Show a progress bar (on a terminal).")
    boolean progress;

    @Option(names = "--delete", description = "Delete extraneous files from DEST.")
    boolean delete;

    @Option(names = {"-c", "--checksum"}, description = "Between archives, compare CRC-32Cs instead of sizes and"
            + " mtimes; otherwise send every file.")
    boolean checksum;

    @Option(names = {"-u", "--update"}, description = "Keep destination files that are as new or newer.")
    boolean update;

    @Option(names = "--include", paramLabel = "PAT", description = "Do not exclude names this pattern matches.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "PAT", description = "Leave out files and directories whose name"
            + " this pattern matches (fnmatch).")
    List<String> excludes = new ArrayList<>();

    @Parameters(paramLabel = "PATH", description = "Source(s) and destination (the last is the destination).")
    List<String> paths = new ArrayList<>();

    /** A command-line path: local, or inside a Barecat archive, or a kind this barecat does not sync. */
    record Parsed(String local, Path archive, String inner, boolean contents, String unsupported) {
        boolean isArchive() {
            return archive != null;
        }
    }

    /** The original's {@code parse_path}: ARCHIVE::INNER, the \:: and \\ escapes, a trailing /. */
    static Parsed parse(String given) {
        boolean contents = given.endsWith("/");
        String path = given.replaceAll("/+$", "");
        if (path.startsWith("barecat://") || path.matches("^(?:[^@]+@)?[^:/]+:/.*$")) {
            return new Parsed(null, null, null, contents, given + ": remote paths are not supported by this barecat");
        }
        int delimiter = findUnescaped(path);
        if (delimiter < 0) {
            return new Parsed(unescape(path), null, null, contents, null);
        }
        String archive = unescape(path.substring(0, delimiter));
        String inner = ArchivePaths.normalize(unescape(path.substring(delimiter + 2)));
        if (inner == null) {
            return new Parsed(null, null, null, contents, given + ": not a valid path inside an archive");
        }
        if (ArchiveFormat.byName(archive) != ArchiveFormat.BARECAT) {
            return new Parsed(null, null, null, contents, given + ": tar and zip files are not synced by this barecat"
                    + " (convert them first)");
        }
        return new Parsed(null, Path.of(archive), inner, contents, null);
    }

    private static int findUnescaped(String s) {
        for (int i = s.indexOf("::"); i >= 0; i = s.indexOf("::", i + 1)) {
            int backslashes = 0;
            for (int j = i - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && s.startsWith("\\", i + 1)) {
                out.append('\\');
                i++;
            } else if (s.charAt(i) == '\\' && s.startsWith("::", i + 1)) {
                out.append("::");
                i += 2;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    @Override
    public Integer call() {
        if (paths.size() < 2) {
            return Errors.fail("rsync requires at least source and destination", 1);
        }
        List<Parsed> parsed = paths.stream().map(RsyncCommand::parse).toList();
        for (Parsed p : parsed) {
            if (p.unsupported() != null) {
                return Errors.fail("rsync: " + p.unsupported(), 1);
            }
        }
        List<Parsed> sources = parsed.subList(0, parsed.size() - 1);
        Parsed dest = parsed.get(parsed.size() - 1);
        try {
            if (dest.isArchive()) {
                for (Parsed s : sources) {
                    if (s.isArchive() && sameArchive(s.archive(), dest.archive())) {
                        return Errors.fail("rsync: " + s.archive() + ": the source is the destination archive", 1);
                    }
                }
                return toArchive(sources, dest);
            }
            if (sources.stream().anyMatch(s -> !s.isArchive())) {
                return Errors.fail("rsync: Use regular rsync for local-to-local directory sync", 1);
            }
            return toLocal(sources, dest);
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }

    private static boolean sameArchive(Path a, Path b) {
        try {
            return Files.isSameFile(ArchiveFiles.locate(a).index(), ArchiveFiles.locate(b).index());
        } catch (IOException e) {
            return false; // one of them does not exist (yet): the plan says which
        }
    }

    private int toArchive(List<Parsed> sources, Parsed dest) throws IOException {
        boolean exists;
        try {
            ArchiveFiles.locate(dest.archive());
            exists = true;
        } catch (NoSuchFileException e) {
            exists = false;
        }
        List<String> lines = new ArrayList<>();
        // a real run prints its lines once the archive is open for writing (not when it is refused)
        Consumer<String> say = dryRun ? System.out::println : lines::add;
        SyncPlan plan = plan(say);
        List<SyncPlan.Source> local = sources.stream().map(s -> s.isArchive()
                ? (SyncPlan.Source) new SyncPlan.ArchiveSource(s.archive(), s.inner(), s.contents())
                : new SyncPlan.LocalSource(s.local(), s.contents())).toList();
        SyncPlan.ToArchive todo;
        try (Progress listing = new Progress("Scanning", true)) {
            if (exists) {
                try (Archive archive = Archive.open(dest.archive())) {
                    todo = plan.toArchive(local, archive, dest.archive(), dest.inner(), listing);
                }
            } else {
                todo = plan.toArchive(local, null, dest.archive(), dest.inner(), listing);
            }
            if (dryRun || (exists && todo.stores().isEmpty() && todo.copies().isEmpty()
                    && todo.deletions().isEmpty())) {
                lines.forEach(System.out::println); // only skips: nothing to write
                return listing.problems() > 0 ? 1 : 0;
            }
        }
        ArchiveSink sink = exists ? ArchiveAppender.open(dest.archive(), ArchiveAppender.Existing.OVERWRITE)
                : ArchiveWriter.create(dest.archive(), Long.MAX_VALUE, false);
        lines.forEach(System.out::println);
        Progress progressBar = new Progress("Syncing", !progress);
        progressBar.total(todo.stores().size() + todo.copies().size(), todo.stores().stream()
                .mapToLong(e -> e.size()).sum() + todo.copies().stream().mapToLong(c -> c.file().size()).sum());
        return ArchiveFill.fill(sink, progressBar, bar -> {
            Totals stored = new Packer(sink, 1, false, bar).pack(todo.stores().iterator());
            copy(todo.copies(), sink, bar);
            for (String path : todo.deletions()) {
                ((ArchiveAppender) sink).removeFile(path); // only an archive that existed has files to delete
            }
            return stored;
        }, e -> Errors.fail(e instanceof IOException io ? io : new IOException(String.valueOf(e.getMessage()), e)),
                "not regular files");
    }

    private SyncPlan plan(Consumer<String> say) {
        return new SyncPlan(new SyncPlan.Options(update, checksum, delete, progress, includes, excludes), dryRun,
                verbose, say);
    }

    /** Copies files of other archives into {@code sink}, each source archive opened once in a row. */
    private static void copy(List<SyncPlan.Copy> copies, ArchiveSink sink, Progress bar) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        Archive open = null;
        try {
            for (SyncPlan.Copy c : copies) {
                if (open == null || !open.files().index().equals(ArchiveFiles.locate(c.archive()).index())) {
                    if (open != null) {
                        open.close();
                    }
                    open = Archive.open(c.archive());
                }
                sink.add(c.target(), new ArchiveFileStream(open, c.file(), buffer), c.file().size(),
                        c.file().attributes());
                bar.done(c.target(), c.file().size());
            }
        } finally {
            if (open != null) {
                open.close();
            }
        }
    }

    private int toLocal(List<Parsed> sources, Parsed dest) throws IOException {
        Path dir = Path.of(dest.local());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return Errors.fail(dest.local() + ": not a directory", 1);
        }
        SyncPlan.ToLocal todo = plan(System.out::println).toLocal(sources.stream()
                .map(s -> new SyncPlan.ArchiveSource(s.archive(), s.inner(), s.contents())).toList(), dest.local());
        if (dryRun) {
            return 0;
        }
        long problems = 0;
        try (Progress bar = new Progress("Extracting", !progress)) {
            for (SyncPlan.Extraction x : todo.extractions()) {
                try (Archive archive = Archive.open(x.source().archive())) {
                    problems += new Extractor(archive, x.root(), Extractor.Existing.OVERWRITE, false, bar)
                            .under(x.source().inner()).extractFiles(x.files()).problems();
                }
            }
            for (Path p : todo.deletions()) {
                Files.deleteIfExists(p);
            }
            problems += bar.problems();
        }
        return problems > 0 ? 1 : 0;
    }
}
