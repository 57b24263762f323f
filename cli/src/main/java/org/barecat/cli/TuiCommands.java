package org.barecat.cli;

import org.barecat.core.Archive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code browse} and {@code ncdu}: the original's full-screen views of an archive, read-only. */
final class TuiCommands {
    private TuiCommands() {
    }

    /** What both share: ARCHIVE (a path or URL), the need for a terminal, and the view run on it. */
    private abstract static class TuiCommand extends ArchiveReadingCommand {
        @Spec
        CommandSpec spec;

        abstract TuiScreen screen(Archive archive) throws IOException;

        @Override
        public Integer call() {
            if (!FullScreen.haveTerminal()) {
                return Errors.fail(spec.name() + " needs a terminal: stdin and stdout must be one", 1);
            }
            try (Archive archive = open()) {
                FullScreen.run(screen(archive));
                return 0;
            } catch (IOException e) {
                return Errors.fail(e);
            } catch (UncheckedIOException e) {
                return Errors.fail(e.getCause());
            }
        }
    }

    @Command(name = "browse",
            description = {"""
                    Browse the archive in a ranger-like full-screen view, as the original barecat's: the parent \
                    directory, the current one and a preview of the selected entry (a directory's entries, or a \
                    file's text).""",
                    "",
                    """
                    Keys: j/k or the arrows move, l, Right or Enter enters a directory (on a file: focus on the \
                    preview, which j/k then scroll), h or Left goes back, g/G top and bottom, PgUp/PgDn by 10, \
                    Tab switches the focus, q quits. The mouse selects and scrolls. Needs a terminal."""})
    static final class Browse extends TuiCommand {
        @Override
        TuiScreen screen(Archive archive) throws IOException {
            return new BrowseScreen(archive);
        }
    }

    @Command(name = "ncdu",
            description = {"""
                    Show where the bytes are, in an ncdu-like full-screen view, as the original barecat's: each \
                    entry's size, file count and share of its directory, largest first (directories before \
                    files). Sizes and counts are the index's directory statistics: nothing is walked.""",
                    "",
                    """
                    Keys: j/k or the arrows move, l, Right or Enter enters a directory, h or Left goes back, g/G \
                    top and bottom, PgUp/PgDn by 10, q quits. The mouse selects and scrolls. Needs a terminal."""})
    static final class Ncdu extends TuiCommand {
        @Override
        TuiScreen screen(Archive archive) throws IOException {
            return new NcduScreen(archive, archiveArgument.name);
        }
    }
}
