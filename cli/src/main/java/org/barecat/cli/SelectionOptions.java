package org.barecat.cli;

import org.barecat.tools.merge.Selection;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** {@code --pattern}, or {@code -i} and {@code -x} rules in the order given: which files merge and subset take. */
final class SelectionOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--pattern", paramLabel = "GLOB", description = "Take only the files this pattern matches"
            + " (anchored at the root; ** spans directories; a trailing / takes everything below).")
    String pattern;

    @Option(names = {"-i", "--include"}, paramLabel = "PATTERN", description = "Take the files this pattern matches"
            + " (rules are tried in order, the first match decides, files no rule matches are taken).")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-x", "--exclude"}, paramLabel = "PATTERN", description = "Leave out the files this pattern"
            + " matches (see -i; -x '**' after -i rules takes only what they include).")
    List<String> excludes = new ArrayList<>();

    /**
     * The selection the options give.
     *
     * @throws IllegalArgumentException for {@code --pattern} with rules: one line and exit 1, as the original
     */
    Selection selection() {
        if (pattern != null && (!includes.isEmpty() || !excludes.isEmpty())) {
            throw new IllegalArgumentException(spec.name() + ": --pattern is incompatible with --include/--exclude");
        }
        if (pattern != null) {
            return Selection.pattern(pattern);
        }
        Selection.Rules rules = new Selection.Rules();
        int i = 0;
        int x = 0;
        for (ArgSpec arg : spec.commandLine().getParseResult().matchedArgs()) {
            if (arg instanceof OptionSpec o && o.longestName().equals("--include")) {
                rules.include(includes.get(i++));
            } else if (arg instanceof OptionSpec o && o.longestName().equals("--exclude")) {
                rules.exclude(excludes.get(x++));
            }
        }
        return rules.build();
    }
}
