package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveInfo;
import org.barecat.core.DirEntry;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code barecat ls [-l] [-R] ARCHIVE [PATH...]}: like ls. */
@Command(name = "ls", aliases = {"list", "l", "t"}, sortOptions = false,
        description = {"List directory contents in the archive, as ls does (one name per line).",
                "",
                "Entries stream in index order, subdirectories first (like ls -U --group-directories-first), "
                        + "so a directory of any size lists at once in little memory; pipe through sort for sorted "
                        + "output.",
                "",
                "In -l lines, owner and group are numeric (as ls -n) and a directory's size is the total size "
                        + "of the files in it."})
final class LsCommand implements Callable<Integer> {
    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

    @Mixin
    RemoteArchiveOptions remote = new RemoteArchiveOptions();

    @Parameters(index = "1..*", paramLabel = "PATH", description = "directories or files in the archive (default: the root)")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-l"}, description = "long listing: mode, links, owner, group, size, mtime, name")
    boolean longFormat;

    @Option(names = {"-R", "--recursive"}, description = "list subdirectories recursively")
    boolean recursive;

    @Option(names = {"-h", "--human-readable"}, description = "with -l, sizes like 1.5K, 23M")
    boolean human;

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;

    private PrintWriter out;
    private Archive archive;
    private long defaultMtime;
    private final Instant now = Instant.now();
    private final ZoneId zone = ZoneId.systemDefault();

    @Override
    public Integer call() {
        out = Output.stdout();
        int code = 0;
        try (Archive a = remote.open(archiveArgument.name)) {
            archive = a;
            defaultMtime = a.indexMtimeNs();
            List<String> given = paths.isEmpty() ? List.of(".") : paths;
            List<DirEntry> dirs = new ArrayList<>();
            List<String> dirNames = new ArrayList<>();
            for (String g : given) {
                Optional<Entry> e = ArchivePathArgument.resolve(a, "ls", g);
                if (e.isEmpty()) {
                    code = 1;
                } else if (e.get() instanceof DirEntry d) {
                    dirs.add(d);
                    dirNames.add(g);
                } else {
                    print(e.get(), g);
                }
            }
            boolean headers = recursive || given.size() > 1;
            boolean first = dirs.size() == given.size();
            for (int i = 0; i < dirs.size(); i++) {
                listDirectory(dirs.get(i), dirNames.get(i), headers, first);
                first = false;
            }
            return code;
        } catch (IOException | java.io.UncheckedIOException e) {
            return Errors.fail(e instanceof IOException io ? io : ((java.io.UncheckedIOException) e).getCause());
        } finally {
            out.flush();
        }
    }

    private void listDirectory(DirEntry dir, String shownAs, boolean header, boolean first) throws IOException {
        if (header) {
            if (!first) {
                out.println();
            }
            out.println(shownAs + ":");
        }
        if (longFormat) {
            long blocks = 0;
            DirectoryListing<Entry> sizes = archive.list(dir.path());
            for (Entry e = sizes.take(); e != null; e = sizes.take()) {
                blocks += (size(e) + 1023) / 1024;
            }
            out.println("total " + (human ? Formats.human(blocks * 1024) : Long.toString(blocks)));
        }
        DirectoryListing<Entry> listing = archive.list(dir.path());
        for (Entry e = listing.take(); e != null; e = listing.take()) {
            print(e, e.name());
        }
        if (recursive) {
            DirectoryListing<Entry> subdirs = archive.listDirectories(dir.path());
            for (Entry e = subdirs.take(); e != null; e = subdirs.take()) {
                listDirectory((DirEntry) e, shownAs.endsWith("/") ? shownAs + e.name() : shownAs + "/" + e.name(),
                        true, false);
            }
        }
    }

    private long size(Entry e) throws IOException {
        return e instanceof FileEntry f ? f.size() : ArchiveInfo.treeStats(archive, (DirEntry) e).sizeTree();
    }

    private void print(Entry e, String name) throws IOException {
        if (!longFormat) {
            out.println(name);
            return;
        }
        long links = e instanceof DirEntry d ? 2 + (d.stats() == null ? 0 : d.stats().numSubdirs()) : 1;
        long size = size(e);
        Long mtime = e.attributes().mtimeNs();
        out.printf("%s %2d %-5s %-5s %8s %s %s%n", Formats.mode(e), links, id(e.attributes().uid()),
                id(e.attributes().gid()), human ? Formats.human(size) : Long.toString(size),
                Formats.lsTime(mtime == null ? defaultMtime : mtime, now, zone), name);
    }

    private static String id(Integer id) {
        return id == null ? "-" : Integer.toUnsignedString(id);
    }
}
