package org.barecat.tools.write;

import org.barecat.core.ArchivePaths;
import org.barecat.core.Glob;

import java.util.List;

/**
 * Which entries to keep, given {@code --exclude} and {@code --include} patterns, as tar users know
 * them: a pattern without {@code /} is matched against each name (at any depth), one with a
 * {@code /} against the whole archive path. An excluded directory is left out with all it holds. With
 * include patterns, a file is kept only when it or one of its directories matches one.
 */
public final class PathFilter {
    public static final PathFilter ALL = new PathFilter(List.of(), List.of());

    private final List<Glob> excludes;
    private final List<Glob> includes;

    public PathFilter(List<Glob> excludes, List<Glob> includes) {
        this.excludes = List.copyOf(excludes);
        this.includes = List.copyOf(includes);
    }

    public static PathFilter of(List<String> excludes, List<String> includes) {
        return new PathFilter(excludes.stream().map(PathFilter::compile).toList(),
                includes.stream().map(PathFilter::compile).toList());
    }

    private static Glob compile(String pattern) {
        String p = pattern;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return Glob.compile(p);
    }

    public boolean hasIncludes() {
        return !includes.isEmpty();
    }

    /** Whether the entry at archive path {@code path} (and, for a directory, all below it) is excluded. */
    public boolean excludes(String path) {
        return matchesAny(excludes, path);
    }

    /** Whether file {@code path} passes the include patterns (always, when there are none). */
    public boolean includesFile(String path) {
        if (includes.isEmpty()) {
            return true;
        }
        for (String p = path; !p.isEmpty(); p = ArchivePaths.parent(p)) {
            if (matchesAny(includes, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<Glob> globs, String path) {
        for (Glob g : globs) {
            if (g.hasSlash() ? g.matches(path) : g.matches(path.substring(path.lastIndexOf('/') + 1))) {
                return true;
            }
        }
        return false;
    }
}
