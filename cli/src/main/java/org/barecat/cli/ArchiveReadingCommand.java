package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.remote.RemoteArchive;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The skeleton of every command that reads one archive, local or given by URL: ARCHIVE and the
 * {@code -o} options of an archive given by URL (picocli mixins, so first in every usage), one way to
 * open it, and one way to end on a failure (a line on stderr and exit code 1, after stdout is flushed).
 */
abstract class ArchiveReadingCommand implements Callable<Integer> {
    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

    @Mixin
    RemoteArchiveOptions remote = new RemoteArchiveOptions();

    /** The archive, local or by URL with the {@code -o} options given. */
    Archive open() throws IOException {
        return remote.open(archiveArgument.name);
    }

    /** For a command that reads the index or shards itself: the archive given by URL, or null for a local one. */
    RemoteArchive locate() throws IOException {
        return remote.locate(archiveArgument.name);
    }

    /** What a command writes to stdout: its exit code. */
    interface Writing {
        int write(PrintWriter out) throws IOException;
    }

    /** What a command that reads the archive prints: its exit code. */
    interface Printing {
        int print(Archive archive, PrintWriter out) throws IOException;
    }

    /**
     * Runs {@code writing} with buffered stdout, which is flushed at the end, also after a failure and
     * before the failure's line on stderr.
     */
    static int withStdout(Writing writing) {
        PrintWriter out = Output.stdout();
        try {
            int code = writing.write(out);
            out.flush();
            return code;
        } catch (IOException e) {
            out.flush();
            return Errors.fail(e);
        } catch (UncheckedIOException e) {
            out.flush();
            return Errors.fail(e.getCause());
        }
    }

    /** Opens the archive and runs {@code printing} on it {@link #withStdout with stdout}. */
    int print(Printing printing) {
        return withStdout(out -> {
            try (Archive archive = open()) {
                return printing.print(archive, out);
            }
        });
    }
}
