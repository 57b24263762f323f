package org.barecat.cli;

/** A command-line argument found wrong only once the command runs: one line on stderr, exit code 2. */
final class BadArgumentException extends RuntimeException {
    BadArgumentException(String message) {
        super(message);
    }
}
