package org.barecat.cli;

import org.barecat.core.DirEntry;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Optional;

/** {@code barecat tree [-L N] [-d] ARCHIVE [PATH]}: like tree. */
@Command(name = "tree", sortOptions = false,
        description = {"""
                Print the archive's directory tree under PATH, as the tree program does.""",
                "",
                """
                PATH defaults to the root, shown as '.'. A count of directories and files comes at the end. \
                Entries stream in index order, directories first (like tree --dirsfirst -U)."""})
final class TreeCommand extends PrintingCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH")
    String start = ".";

    @Option(names = {"-L", "--level"}, paramLabel = "N", description = "descend at most N levels")
    Integer level;

    @Option(names = {"-d", "--dirs-only"}, description = "list directories only")
    boolean dirsOnly;

    private long dirs;
    private long files;

    @Override
    Integer badOptions() {
        return level != null && level < 1 ? Errors.fail("tree: Invalid level, must be greater than 0.", 2) : null;
    }

    /** Prints the tree under {@code start} (also the shell's {@code tree}). */
    @Override
    int printAll() throws IOException {
        Optional<Entry> root = ArchivePathArgument.resolve(archive, "tree", start);
        if (root.isEmpty()) {
            return 1;
        }
        out.println(start);
        if (root.get() instanceof DirEntry d) {
            print(d, "", 1);
        }
        out.println();
        out.println(dirs + (dirs == 1 ? " directory" : " directories")
                + (dirsOnly ? "" : ", " + files + (files == 1 ? " file" : " files")));
        return 0;
    }

    private void print(DirEntry dir, String prefix, int depth) throws IOException {
        DirectoryListing<Entry> children = dirsOnly ? archive.listDirectories(dir.path()) : archive.list(dir.path());
        for (Entry e = children.take(); e != null; e = children.take()) {
            boolean last = children.peek() == null;
            out.println(prefix + (last ? "└── " : "├── ") + e.name());
            if (e instanceof DirEntry d) {
                dirs++;
                if (level == null || depth < level) {
                    print(d, prefix + (last ? "    " : "│   "), depth + 1);
                }
            } else {
                files++;
            }
        }
    }
}
