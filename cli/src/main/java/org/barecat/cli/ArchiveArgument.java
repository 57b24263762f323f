package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.remote.RemoteArchives;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The ARCHIVE operand that comes first in every command working on one archive (a picocli mixin). */
final class ArchiveArgument {
    @Parameters(index = "0", paramLabel = "ARCHIVE",
            description = "the archive, e.g. data.barecat (its shards lie beside it)")
    String name;

    /** The archive's path as given, for a command that needs a local archive (one that writes). */
    Path path() {
        return localPath(name);
    }

    /**
     * {@code name} as a path; a URL fails the command with one line naming it: archives on a server are
     * only read, by the commands that take a URL.
     *
     * @throws IllegalArgumentException naming the URL
     */
    static Path localPath(String name) {
        if (RemoteArchives.isUrl(name)) {
            throw new IllegalArgumentException(name + ": read-only over " + name.substring(0, name.indexOf("://") + 3)
                    + " (this command needs a local archive)");
        }
        return Path.of(name);
    }

    /** What a command that reads the archive prints: its exit code. */
    interface Printing {
        int print(Archive archive, PrintWriter out) throws IOException;
    }

    /**
     * Opens the archive (a local one, or one by URL with {@code remote}'s options) and runs
     * {@code printing} with buffered stdout, which is flushed at the end, also after a failure (a
     * failure ends as one line on stderr and exit code 1).
     */
    int print(RemoteArchiveOptions remote, Printing printing) {
        PrintWriter out = Output.stdout();
        try (Archive archive = remote.open(name)) {
            return printing.print(archive, out);
        } catch (IOException e) {
            return Errors.fail(e);
        } catch (UncheckedIOException e) {
            return Errors.fail(e.getCause());
        } finally {
            out.flush();
        }
    }
}
