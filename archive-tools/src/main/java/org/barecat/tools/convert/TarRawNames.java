package org.barecat.tools.convert;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarUtils;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Recovers the bytes of tar entry names, which commons-compress gives only as text. Names from
 * ustar headers and GNU long-name entries come through exactly when it decodes them as ISO-8859-1;
 * pax records, though, it always decodes as UTF-8, replacing bytes that are not. So this stream sits
 * between the tar bytes and the {@code TarArchiveInputStream}, keeps a copy of the header blocks read
 * for each entry, and takes the pax {@code path} and {@code hdrcharset} records from that copy itself.
 */
final class TarRawNames extends FilterInputStream {
    private static final int BLOCK = 512;
    private static final byte[] BINARY = "BINARY".getBytes(StandardCharsets.US_ASCII);

    /** An entry's name as bytes; {@code declaredUtf8} when a pax record holds it and does not call it binary. */
    record RawName(byte[] bytes, boolean declaredUtf8) {
    }

    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    private final byte[] one = new byte[1];
    private Map<String, byte[]> globalPax = new HashMap<>();
    private long position;
    private long recordingFrom = -1;

    TarRawNames(InputStream tar) {
        super(tar);
    }

    /**
     * Keeps what is read from here on, up to the next {@link #nameOf}: call it with the previous
     * entry's data read to its end, just before {@code getNextEntry}.
     */
    void startRecording() {
        recorded.reset();
        recordingFrom = position;
    }

    /**
     * The name of {@code entry}, just returned by {@code getNextEntry} of a stream that reads names as
     * ISO-8859-1, from the headers recorded since {@link #startRecording}.
     */
    RawName nameOf(TarArchiveEntry entry) throws IOException {
        byte[] b = recorded.toByteArray();
        int at = (int) ((BLOCK - recordingFrom % BLOCK) % BLOCK); // the rest of the previous entry's last block
        recordingFrom = -1;
        Map<String, byte[]> local = null;
        while (true) {
            if (at + BLOCK > b.length) {
                throw new IOException(entry.getName() + ": cannot find this entry's tar header");
            }
            byte type = b[at + 156];
            long size;
            try {
                size = TarUtils.parseOctalOrBinary(b, at + 124, 12);
            } catch (IllegalArgumentException e) {
                throw new IOException(entry.getName() + ": bad size in a tar header", e);
            }
            if (type != 'g' && type != 'x' && type != 'X' && type != 'L' && type != 'K') {
                break; // the entry's own header; GNU long names ('L') reach the entry exactly
            }
            int data = at + BLOCK;
            if (size < 0 || size > b.length - data) {
                throw new IOException(entry.getName() + ": cannot find this entry's tar header");
            }
            if (type == 'g') {
                globalPax = paxRecords(b, data, (int) size, globalPax);
            } else if (type == 'x' || type == 'X') {
                local = paxRecords(b, data, (int) size, globalPax);
            }
            at = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        Map<String, byte[]> pax = local != null ? local : globalPax;
        byte[] path = pax.get("path");
        if (path != null) {
            return new RawName(path, !Arrays.equals(BINARY, pax.get("hdrcharset")));
        }
        return new RawName(entry.getName().getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /**
     * The records of a pax header ({@code "LEN key=value\n"}, LEN counting the whole record) over
     * {@code base}; an empty value removes the key, as commons-compress has it.
     */
    private static Map<String, byte[]> paxRecords(byte[] b, int from, int size, Map<String, byte[]> base)
            throws IOException {
        Map<String, byte[]> records = new HashMap<>(base);
        int end = from + size;
        int at = from;
        while (at < end && b[at] != 0) {
            if (b[at] == '\n') { // a blank line, which commons-compress passes over too
                at++;
                continue;
            }
            int space = at;
            int length = 0;
            while (space < end && b[space] >= '0' && b[space] <= '9' && length <= size) {
                length = length * 10 + (b[space++] - '0');
            }
            if (space >= end || b[space] != ' ' || length <= 0 || at + length > end || b[at + length - 1] != '\n') {
                throw new IOException("malformed pax header record");
            }
            int equals = space + 1;
            while (equals < at + length && b[equals] != '=') {
                equals++;
            }
            if (equals >= at + length) {
                throw new IOException("malformed pax header record");
            }
            String key = new String(b, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(b, equals + 1, at + length - 1);
            if (value.length == 0) {
                records.remove(key);
            } else {
                records.put(key, value);
            }
            at += length;
        }
        return records;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            position += n;
            if (recordingFrom >= 0) {
                recorded.write(b, off, n);
            }
        }
        return n;
    }

    /** Skips by reading, so that skipped header padding is counted and recorded like the rest. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
        long skipped = 0;
        while (skipped < n) {
            int got = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (got < 0) {
                break;
            }
            skipped += got;
        }
        return skipped;
    }

    /** No mark and reset: what was read is what the headers are. */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int limit) {
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
