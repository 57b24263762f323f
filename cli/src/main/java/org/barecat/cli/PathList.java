package org.barecat.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Paths read one at a time from a file or stdin ({@code -T}), separated by newlines or, with
 * {@code -0}, by NUL bytes (as {@code find -print0} writes them). Empty entries are ignored. Paths
 * are bytes, as file names are: they are decoded where they are stored, not here.
 */
final class PathList implements Iterator<byte[]>, AutoCloseable {
    private final InputStream in;
    private final boolean ownsInput;
    private final int separator;
    private byte[] next;
    private boolean done;

    private PathList(InputStream in, boolean ownsInput, boolean nulSeparated) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.ownsInput = ownsInput;
        this.separator = nulSeparated ? 0 : '\n';
    }

    /** Reads {@code source}, or stdin for {@code "-"}. */
    static PathList open(String source, boolean nulSeparated) throws IOException {
        boolean stdin = source.equals("-");
        return new PathList(stdin ? System.in : Files.newInputStream(Path.of(source)), !stdin, nulSeparated);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            try {
                next = readOne();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    private byte[] readOne() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != separator) {
            buf.write(b);
        }
        if (b < 0) {
            done = true;
        }
        byte[] s = buf.toByteArray();
        if (separator == '\n' && s.length > 0 && s[s.length - 1] == '\r') {
            s = Arrays.copyOf(s, s.length - 1);
        }
        return s.length == 0 ? null : s;
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        byte[] s = next;
        next = null;
        return s;
    }

    @Override
    public void close() throws IOException {
        if (ownsInput) {
            in.close();
        }
    }
}
