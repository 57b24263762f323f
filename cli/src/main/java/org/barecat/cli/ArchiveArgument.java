package org.barecat.cli;

import org.barecat.core.Archive;
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

    /** The archive's path as given. */
    Path path() {
        return Path.of(name);
    }

    /** What a command that reads the archive prints: its exit code. */
    interface Printing {
        int print(Archive archive, PrintWriter out) throws IOException;
    }

    /**
     * Opens the archive and runs {@code printing} with buffered stdout, which is flushed at the end,
     * also after a failure (a failure ends as one line on stderr and exit code 1).
     */
    int print(Printing printing) {
        PrintWriter out = Output.stdout();
        try (Archive archive = Archive.open(path())) {
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
