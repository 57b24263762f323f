package org.barecat.cli;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code barecat du [-s] [-h] [-d N] ARCHIVE [PATH...]}: like du, from the directory statistics. */
@Command(name = "du", sortOptions = false,
        description = {"""
                Print the size of each directory under PATH, deepest first, as du does.""",
                "",
                """
                PATH defaults to the root, shown as '.'. A size is the total size of the files below the \
                directory, in 1024-byte units rounded up (-b: bytes, -h: 1.5K, 23M, ...).""",
                "",
                """
                Sizes come from the index's directory statistics, so -s and -d answer at once on any archive \
                (directories without statistics are added up from their files)."""})
final class DuCommand extends PrintingCommand {
    @Parameters(index = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-s", "--summarize"}, description = "only a total for each PATH")
    boolean summarize;

    @Option(names = {"-d", "--max-depth"}, paramLabel = "N", description = "print directories at most N levels below PATH")
    Integer maxDepth;

    @Option(names = {"-a", "--all"}, description = "also print files")
    boolean all;

    @Option(names = {"-h", "--human-readable"}, description = "sizes like 1.5K, 23M, 4.0G")
    boolean human;

    @Option(names = {"-b", "--bytes"}, description = "sizes in bytes")
    boolean bytes;

    @Option(names = {"-c", "--total"}, description = "end with a grand total")
    boolean total;

    @Mixin
    LongHelpOption help = new LongHelpOption();


    @Override
    Integer badOptions() {
        return summarize && maxDepth != null && maxDepth != 0
                ? Errors.fail("du: -s and -d " + maxDepth + " cannot be used together", 2) : null;
    }

    /** Prints the sizes under every PATH (also the shell's {@code du}). */
    @Override
    int printAll() throws IOException {
        int depthLimit = summarize ? 0 : maxDepth == null ? Integer.MAX_VALUE : maxDepth;
        int code = 0;
        long grandTotal = 0;
        for (String given : paths.isEmpty() ? List.of(".") : paths) {
            Optional<Entry> e = ArchivePathArgument.resolve(archive, "du", given);
            if (e.isEmpty()) {
                code = 1;
                continue;
            }
            grandTotal += visit(e.get(), 0, depthLimit, true);
        }
        if (total) {
            out.println(format(grandTotal) + "\ttotal");
        }
        return code;
    }

    /** Prints the entry's subtree, deepest first, and returns its size. */
    private long visit(Entry e, int depth, int depthLimit, boolean top) throws IOException {
        if (e instanceof FileEntry f) {
            if (top || (all && depth <= depthLimit)) {
                out.println(format(f.size()) + "\t" + Formats.displayPath(f.path()));
            }
            return f.size();
        }
        DirEntry d = (DirEntry) e;
        if (depth < depthLimit) {
            DirectoryListing<Entry> children = all ? archive.list(d.path()) : archive.listDirectories(d.path());
            for (Entry c = children.take(); c != null; c = children.take()) {
                visit(c, depth + 1, depthLimit, false);
            }
        }
        long size = ArchiveInfo.treeStats(archive, d).sizeTree();
        out.println(format(size) + "\t" + Formats.displayPath(d.path()));
        return size;
    }

    private String format(long size) {
        return human ? Formats.human(size) : bytes ? Long.toString(size) : Formats.kibibytes(size);
    }
}
