package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveInfo;
import org.barecat.core.ArchivePaths;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.Glob;
import org.barecat.tools.convert.IndexExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code barecat ls [-l] [-R] [--jsonl] ARCHIVE [PATH...]}: as the original's {@code barecat list}. */
@Command(name = "ls", aliases = {"list", "l", "t"}, sortOptions = false,
        description = {"""
                List the archive's entries, as the original barecat does.""",
                "",
                """
                A directory's entries are printed by name, sorted, directories with a trailing /; -l first \
                prints the total of their sizes in bytes. A file PATH prints its full path. With -R, the full \
                path of every file below PATH. A PATH with *, ? or [ is a glob over whole paths (** for any \
                depth; names starting with a dot are not matched) and prints full paths, directories first \
                (files first for **); a PATH ending in / means PATH/**. A PATH that is not in the archive prints \
                'ls: PATH: No such file or directory'.""",
                "",
                """
                In -l lines, owners and groups are names where the system knows them, a directory's size is the \
                total size of the files below it, and the time is the day and time in the current year, else the \
                day and year."""})
final class LsCommand extends PrintingCommand {
    @Parameters(index = "1..*", paramLabel = "PATH", description = "directories, files or globs in the archive"
            + " (default: the root)")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-l", "--long"}, description = "long listing: mode, links, owner, group, size, mtime, name")
    boolean longFormat;

    @Option(names = {"-R", "--recursive"}, description = "the full path of every file below each PATH")
    boolean recursive;

    @Option(names = "--jsonl", description = "one JSON object per entry, with every field of its row")
    boolean jsonl;

    @Option(names = {"-h", "--human-readable"}, description = "with -l, sizes like 1.5K, 23M")
    boolean human;

    @Mixin
    LongHelpOption help = new LongHelpOption();

    private final ZonedDateTime now = ZonedDateTime.now();
    /** Owner and group names by number, in one map as the original keeps them (a gid may show a user's name). */
    private final Map<Integer, String> names = new HashMap<>();

    /** Prints the listing of every PATH (also the shell's {@code ls}). */
    @Override
    int printAll() throws IOException {
        for (String given : paths.isEmpty() ? List.of("") : paths) {
            String path = given.endsWith("/") && !given.endsWith("**/") ? given + "**" : given;
            if (path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0) {
                glob(path);
                continue;
            }
            Optional<Entry> e = lookup(archive, path);
            if (e.isEmpty()) {
                out.println("ls: " + path + ": No such file or directory");
            } else if (e.get() instanceof FileEntry f) {
                print(f, f.path());
            } else if (recursive) {
                walk((DirEntry) e.get());
            } else {
                listDirectory((DirEntry) e.get());
            }
        }
        return 0;
    }

    private static Optional<Entry> lookup(Archive archive, String given) throws IOException {
        String g = given.equals(".") || given.startsWith("./") ? given.substring(1) : given;
        String p = ArchivePaths.normalize(g);
        return p == null ? Optional.empty() : archive.lookup(p);
    }

    /** A directory's entries sorted by name (code points), after the total of their sizes with -l. */
    private void listDirectory(DirEntry dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        DirectoryListing<Entry> listing = archive.list(dir.path());
        for (Entry e = listing.take(); e != null; e = listing.take()) {
            entries.add(e);
        }
        entries.sort(Comparator.comparing(Entry::name, LsCommand::compareCodePoints));
        if (longFormat && !jsonl) {
            long total = 0;
            for (Entry e : entries) {
                total += size(e);
            }
            out.println("total " + total);
        }
        for (Entry e : entries) {
            print(e, e.name());
        }
    }

    /** Depth first, each directory's files before its subdirectories: files only, by full path. */
    private void walk(DirEntry dir) throws IOException {
        List<DirEntry> subdirs = new ArrayList<>();
        DirectoryListing<Entry> listing = archive.list(dir.path());
        for (Entry e = listing.take(); e != null; e = listing.take()) {
            if (e instanceof DirEntry d) {
                subdirs.add(d);
            } else {
                print(e, e.path());
            }
        }
        for (DirEntry d : subdirs) {
            walk(d);
        }
    }

    /**
     * Every entry whose whole path matches: directories then files, or files then directories for a
     * pattern with {@code **}, each by path.
     */
    private void glob(String pattern) throws IOException {
        GlobMatches m = globMatches(archive, pattern);
        boolean deep = pattern.contains("**");
        for (Entry e : deep ? m.files() : m.dirs()) {
            print(e, e.path());
        }
        for (Entry e : deep ? m.dirs() : m.files()) {
            print(e, e.path());
        }
    }

    /** The directories and the files a glob matches, each sorted by path. */
    record GlobMatches(List<Entry> dirs, List<Entry> files) {
    }

    /**
     * Every entry whose whole path matches the original's glob ({@link Glob#python}, {@code **} for any
     * depth). Only the directories the pattern can reach are listed.
     */
    static GlobMatches globMatches(Archive archive, String pattern) throws IOException {
        boolean deep = pattern.contains("**");
        Glob glob = Glob.python(pattern, deep, false);
        String[] parts = pattern.split("/", -1);
        int fixed = Glob.literalComponents(parts);
        String start = String.join("/", java.util.Arrays.copyOf(parts, fixed));
        Optional<Entry> root = start.isEmpty() ? archive.lookup("") : lookup(archive, start);
        List<Entry> dirs = new ArrayList<>();
        List<Entry> files = new ArrayList<>();
        if (root.isEmpty() || !(root.get() instanceof DirEntry dir) || !dir.path().equals(start)) {
            return new GlobMatches(dirs, files);
        }
        collect(archive, dir, deep ? Integer.MAX_VALUE : parts.length - fixed, glob, dirs, files);
        Comparator<Entry> byPath = Comparator.comparing(Entry::path, LsCommand::compareCodePoints);
        dirs.sort(byPath);
        files.sort(byPath);
        return new GlobMatches(dirs, files);
    }

    private static void collect(Archive archive, DirEntry dir, int depth, Glob glob, List<Entry> dirs,
                                List<Entry> files) throws IOException {
        List<DirEntry> subdirs = new ArrayList<>();
        DirectoryListing<Entry> listing = archive.list(dir.path());
        for (Entry e = listing.take(); e != null; e = listing.take()) {
            if (glob.matches(e.path())) {
                (e instanceof DirEntry ? dirs : files).add(e);
            }
            if (e instanceof DirEntry d && depth > 1) {
                subdirs.add(d);
            }
        }
        for (DirEntry d : subdirs) {
            collect(archive, d, depth - 1, glob, dirs, files);
        }
    }

    private void print(Entry e, String name) throws IOException {
        Attributes a = e.attributes();
        if (jsonl) {
            StringBuilder j = new StringBuilder("{\"type\": \"").append(e instanceof DirEntry ? "dir" : "file")
                    .append("\", \"path\": ").append(IndexExport.json(e.path()));
            if (e instanceof FileEntry f) {
                j.append(", \"size\": ").append(f.size()).append(", \"mtime_ns\": ").append(a.mtimeNs())
                        .append(", \"crc32c\": ").append(f.crc32c());
            } else {
                DirStats s = ArchiveInfo.treeStats(archive, (DirEntry) e);
                j.append(", \"size_tree\": ").append(s.sizeTree()).append(", \"num_files_tree\": ")
                        .append(s.numFilesTree()).append(", \"mtime_ns\": ").append(a.mtimeNs());
            }
            j.append(", \"mode\": ").append(a.mode()).append(", \"uid\": ").append(a.uid()).append(", \"gid\": ")
                    .append(a.gid()).append('}');
            out.println(j); // a NULL column appends as null, as in JSON
        } else if (longFormat) {
            long links = e instanceof DirEntry d ? 2 + ArchiveInfo.treeStats(archive, d).numSubdirs() : 1;
            long size = size(e);
            String user = name(a.uid(), "/etc/passwd");
            String group = name(a.gid(), "/etc/group");
            out.printf("%s %4d %-8s %-8s %8s %s %s%n", Formats.mode(a.mode()), links, user, group,
                    human ? Formats.human(size) : Long.toString(size), Formats.lsTime(a.mtimeNs(), now), name);
        } else {
            out.println(e instanceof DirEntry && !name.isEmpty() ? name + "/" : name);
        }
    }

    private long size(Entry e) throws IOException {
        return e instanceof FileEntry f ? f.size() : ArchiveInfo.treeStats(archive, (DirEntry) e).sizeTree();
    }

    /** The name of user or group {@code id} from {@code table} ({@code /etc/passwd} or {@code /etc/group}). */
    private String name(Integer id, String table) {
        if (id == null) {
            return "-";
        }
        return names.computeIfAbsent(id, k -> {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.split(":", -1);
                    if (f.length > 2 && f[2].equals(Integer.toUnsignedString(k))) {
                        return f[0];
                    }
                }
            } catch (IOException ignored) {
                // no such table: the number
            }
            return Integer.toUnsignedString(k);
        });
    }

    /** Python's string order: by code point. */
    static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
