package org.barecat.cli;

import org.barecat.core.ArchiveInfo;
import org.barecat.core.DirEntry;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.Glob;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.util.Optional;

/** {@code barecat find ARCHIVE [PATH] [-name ...]}: like find. */
@Command(name = "find", sortOptions = false,
        description = {"""
                Print the path of every entry under PATH that passes the tests given, as find does.""",
                "",
                """
                The walk starts at PATH (default: the root, shown as '.'); the tests are ANDed (find's -o, ! and \
                parentheses are not supported).""",
                "",
                """
                Paths are printed as stored in the archive, so they can be given back to cat or extract. A \
                directory's -size is the total size of the files in it."""})
final class FindCommand extends PrintingCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "where to start (default: the root)")
    String start = ".";

    @Option(names = "-name", paramLabel = "PATTERN", description = "the name (last component) matches the wildcard PATTERN")
    String name;

    @Option(names = {"-path", "-wholename"}, paramLabel = "PATTERN",
            description = "the printed path matches PATTERN (as in find, * also matches '/')")
    String pathPattern;

    @Option(names = "-type", paramLabel = "f|d", description = "f: regular files, d: directories")
    Character type;

    @Option(names = "-size", paramLabel = "[+|-]N[ckMG]", converter = SizeTest.Converter.class, description =
            "size is more than (+), less than (-) or exactly N units, rounded up to whole units as find "
            + "does: c bytes, k KiB, M MiB, G GiB, no suffix 512-byte blocks")
    SizeTest size;

    @Option(names = "-maxdepth", paramLabel = "N", description = "descend at most N levels below PATH (0: PATH only)")
    Integer maxDepth;

    @Option(names = "-mindepth", paramLabel = "N", description = "print nothing less than N levels below PATH")
    int minDepth;

    @Option(names = "-print0", description = "end each path with a NUL byte instead of a newline (for xargs -0)")
    boolean print0;

    private Glob nameGlob;
    private Glob pathGlob;

    /** A -size test: compare the size rounded up to units with N. */
    record SizeTest(char sign, long n, long unit) {
        boolean test(long bytes) {
            long units = bytes == 0 ? 0 : (bytes + unit - 1) / unit;
            return sign == '+' ? units > n : sign == '-' ? units < n : units == n;
        }

        static final class Converter implements ITypeConverter<SizeTest> {
            @Override
            public SizeTest convert(String v) {
                if (v.isEmpty()) {
                    throw new TypeConversionException("empty -size");
                }
                char sign = v.charAt(0) == '+' || v.charAt(0) == '-' ? v.charAt(0) : '=';
                String s = sign == '=' ? v : v.substring(1);
                long unit = 512;
                if (!s.isEmpty() && !Character.isDigit(s.charAt(s.length() - 1))) {
                    char u = s.charAt(s.length() - 1);
                    unit = switch (u) {
                        case 'c' -> 1;
                        case 'w' -> 2;
                        case 'b' -> 512;
                        case 'k' -> 1024;
                        case 'M' -> 1 << 20;
                        case 'G' -> 1 << 30;
                        default -> throw new TypeConversionException("invalid -size unit '" + u + "' (use c, w, b, k, M, G)");
                    };
                    s = s.substring(0, s.length() - 1);
                }
                try {
                    return new SizeTest(sign, Long.parseLong(s), unit);
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("invalid -size argument '" + v + "'");
                }
            }
        }
    }

    @Override
    Integer badOptions() {
        return type != null && type != 'f' && type != 'd'
                ? Errors.fail("find: -type " + type + ": only f and d exist in an archive", 2) : null;
    }

    /** Prints what matches under {@code start} (also the shell's {@code find}). */
    @Override
    int printAll() throws IOException {
        nameGlob = name == null ? null : Glob.compile(name);
        pathGlob = pathPattern == null ? null : Glob.compileCrossingSlashes(pathPattern);
        Optional<Entry> root = ArchivePathArgument.resolve(archive, "find", start);
        if (root.isEmpty()) {
            return 1;
        }
        visit(root.get(), 0);
        return 0;
    }

    private void visit(Entry e, int depth) throws IOException {
        if (depth >= minDepth && matches(e)) {
            out.print(Formats.displayPath(e.path()));
            out.print(print0 ? '\0' : '\n');
        }
        if (e instanceof DirEntry && (maxDepth == null || depth < maxDepth)) {
            DirectoryListing<Entry> children = type != null && type == 'd' ? archive.listDirectories(e.path())
                    : archive.list(e.path());
            for (Entry c = children.take(); c != null; c = children.take()) {
                visit(c, depth + 1);
            }
        }
    }

    private boolean matches(Entry e) throws IOException {
        boolean dir = e instanceof DirEntry;
        if (type != null && (type == 'd') != dir) {
            return false;
        }
        if (nameGlob != null && !nameGlob.matches(e.path().isEmpty() ? "." : e.name())) {
            return false;
        }
        if (pathGlob != null && !pathGlob.matches(Formats.displayPath(e.path()))) {
            return false;
        }
        if (size != null) {
            long bytes = dir ? ArchiveInfo.treeStats(archive, (DirEntry) e).sizeTree() : ((FileEntry) e).size();
            return size.test(bytes);
        }
        return true;
    }
}
