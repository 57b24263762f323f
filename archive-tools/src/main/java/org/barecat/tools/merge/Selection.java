package org.barecat.tools.merge;

import org.barecat.core.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which files a merge or subset takes, as the original barecat's {@code --pattern} and
 * {@code -i}/{@code -x} say: patterns are anchored at the archive's root ({@code *.jpg} is a
 * top-level file), {@code *} stays within a name, {@code **} spans directories, and a trailing
 * {@code /} means everything below. Rules are tried in order and the first that matches decides; a
 * file no rule matches is taken. Directories are not pruned: {@code -x thumbs} does not leave out
 * {@code thumbs/x.jpg}, {@code -x thumbs/} does.
 */
public final class Selection implements Predicate<String> {
    private record Rule(boolean include, Glob glob) {
    }

    private final List<Rule> rules;

    private Selection(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The files that {@code pattern} matches ({@code --pattern}). */
    public static Selection pattern(String pattern) {
        return new Selection(List.of(new Rule(true, compile(pattern)), new Rule(false, Glob.compile("**"))));
    }

    /** Builds the rules of {@code -i} and {@code -x} options in the order they were given. */
    public static final class Rules {
        private final List<Rule> rules = new ArrayList<>();

        public Rules include(String pattern) {
            rules.add(new Rule(true, compile(pattern)));
            return this;
        }

        public Rules exclude(String pattern) {
            rules.add(new Rule(false, compile(pattern)));
            return this;
        }

        public Selection build() {
            return new Selection(rules);
        }
    }

    /** Whether any file may be left out (then directories are made only where taken files need them). */
    public boolean filters() {
        return !rules.isEmpty();
    }

    @Override
    public boolean test(String path) {
        for (Rule r : rules) {
            if (r.glob().matches(path)) {
                return r.include();
            }
        }
        return true;
    }

    private static Glob compile(String pattern) {
        String p = pattern;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return Glob.compile(p.endsWith("/") ? p + "**" : p);
    }
}
