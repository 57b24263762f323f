package org.barecat.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Buffered UTF-8 text on stdout: listings of millions of lines are not flushed line by line. */
final class Output {
    private Output() {
    }

    static PrintWriter stdout() {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
    }
}
