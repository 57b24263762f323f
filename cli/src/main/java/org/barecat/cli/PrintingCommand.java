package org.barecat.cli;

import org.barecat.core.Archive;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A command that prints what it finds in the archive (ls, du, tree, find): run on its own it opens
 * ARCHIVE; the shell runs the same command, parsed from its line, on the archive it has open.
 */
abstract class PrintingCommand extends ArchiveReadingCommand {
    /** The archive and stdout, set by {@link #print(Archive, PrintWriter)} for the printing that follows. */
    Archive archive;
    PrintWriter out;

    @Override
    public final Integer call() {
        Integer bad = badOptions();
        return bad != null ? bad : print(this::print);
    }

    /** The exit code of options that cannot be used, after saying why; null when they can. */
    Integer badOptions() {
        return null;
    }

    /** Prints from {@code a} to {@code printer} what the command was asked for; its exit code. */
    final int print(Archive a, PrintWriter printer) throws IOException {
        archive = a;
        out = printer;
        return printAll();
    }

    /** Prints from {@link #archive} to {@link #out}; the exit code. */
    abstract int printAll() throws IOException;
}
