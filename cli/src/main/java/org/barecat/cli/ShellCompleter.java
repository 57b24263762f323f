package org.barecat.cli;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Tab completion in {@code barecat shell}, as the original's: the first word from the commands, then
 * directories for cd, tree and lss, archive paths for the commands that take one.
 */
final class ShellCompleter implements Completer {
    private static final Set<String> DIRECTORIES = Set.of("cd", "tree", "lss");
    private static final Set<String> PATHS = Set.of("ls", "cat", "head", "stat", "du", "get", "rm", "mv", "find");

    private final BarecatShell shell;

    ShellCompleter(BarecatShell shell) {
        this.shell = shell;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            for (String name : shell.commandNames()) {
                candidates.add(new Candidate(name));
            }
            return;
        }
        String command = line.words().get(0);
        boolean dirsOnly = DIRECTORIES.contains(command);
        if (!dirsOnly && !PATHS.contains(command)) {
            return;
        }
        String word = line.word().substring(0, line.wordCursor());
        try {
            for (String path : shell.complete(word, dirsOnly)) {
                // a directory is not complete: the next Tab goes on inside it
                boolean dir = path.endsWith("/");
                candidates.add(new Candidate(path, path, null, null, null, null, !dir));
            }
        } catch (IOException | RuntimeException e) {
            // nothing to offer when the index cannot be read; the command itself will say why
        }
    }
}
