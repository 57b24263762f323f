package org.barecat.cli;

import org.barecat.core.ArchiveFiles;
import org.barecat.tools.write.ArchiveWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code barecat shell [-c CMD] [-w] ARCHIVE}: the original's interactive shell. */
@Command(name = "shell", sortOptions = false,
        description = {"""
                Explore an archive interactively, as the original barecat's shell does: cd, pwd, ls [-l] [-R], \
                lss, tree, cat, head, stat, find, du, info, sql; lcd, lpwd, lls, get and mget for the local \
                side; with -w also put, mput, rm and mv. 'help' lists them; '.name' is 'name'; '!cmd' runs cmd \
                in a local shell; quit, exit or end of input leaves.""",
                "",
                """
                On a terminal, lines can be edited and Tab completes commands and archive paths; otherwise lines \
                are read from stdin. rm, mv, put and mput change the archive as barecat rm, mv and add do: each \
                in one transaction, refused while the archive is mounted."""})
final class ShellCommand extends ArchiveReadingCommand {
    @Option(names = {"-c", "--cmd"}, paramLabel = "CMD", description = "run this one command line and exit (status 0)")
    String command;

    @Option(names = {"-w", "--write"}, description = "allow put, mput, rm and mv (creates the archive when missing)")
    boolean write;

    @Override
    public Integer call() {
        try {
            if (write) {
                createIfMissing(archiveArgument.path());
            }
            try (BarecatShell shell = new BarecatShell(archiveArgument.name, remote, write)) {
                if (command != null) {
                    shell.execute(command); // the original's exit status is 0 whatever the command did
                } else {
                    shell.run();
                }
                return 0;
            }
        } catch (IOException e) {
            return Errors.fail(e);
        } catch (UncheckedIOException e) {
            return Errors.fail(e.getCause());
        }
    }

    private static void createIfMissing(Path archive) throws IOException {
        try {
            ArchiveFiles.locate(archive);
        } catch (NoSuchFileException e) {
            ArchiveWriter.create(archive).close();
        }
    }
}
