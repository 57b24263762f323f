package org.barecat.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One-line error reporting for the launchers: the file and the problem, on stderr. */
final class Errors {
    private Errors() {
    }

    static int fail(String message, int exitCode) {
        System.err.println(program() + ": " + message);
        return exitCode;
    }

    static int fail(Exception e) {
        return fail(describe(e), 1);
    }

    /** A message naming the file and the problem, without Java class names. */
    static String describe(Exception e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            return fse.getFile() + ": " + reason(fse);
        }
        return String.valueOf(e.getMessage());
    }

    /** What went wrong, without the file's name. */
    static String reason(FileSystemException e) {
        String reason = e.getReason();
        if (reason == null) {
            reason = e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof AccessDeniedException ? "permission denied" : "cannot access";
        }
        return reason;
    }

    /**
     * Runs a launcher's command line: an exception or error that reaches this far (a bug, a missing
     * native library) ends as one line on stderr and exit code 1, never a stack trace.
     */
    static int execute(picocli.CommandLine commandLine, String[] args) {
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e));
        try {
            return commandLine.execute(args);
        } catch (RuntimeException | Error e) {
            return fail(e.getMessage() == null ? e.toString() : e.getMessage(), 1);
        }
    }

    /**
     * An exception a command did not handle itself: a bad argument found late exits 2, anything else 1. An
     * interrupt (a signal while waiting) is no error to report, so it exits 1 silently.
     */
    static int handle(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return 1;
        }
        return fail(describe(e), e instanceof BadArgumentException ? 2 : 1);
    }

    private static String program() {
        return System.getProperty("barecat.program", "barecat");
    }
}
