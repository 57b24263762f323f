package org.barecat.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Checks the bytes a reader gets of one open file against the file's stored CRC-32C. Bytes are
 * folded into the checksum of the range read so far that they extend, in whatever order reads arrive
 * (the kernel's readahead has several reads of a file in flight at once, served by different
 * threads); when a read fills the gap between two ranges, their checksums are joined
 * ({@link Crc32cCombine}). A file read to its end in any order costs one hardware CRC-32C pass over
 * bytes already in memory. The read that reaches the file's end is the one
 * that fails when the checksum differs, so a reader never gets to the end of a damaged file without
 * an error.
 * <p>
 * The read that reaches the end first waits for the reads of the file still in flight (the last read
 * of a readahead batch can finish before the others). When the bytes before the end have still not
 * all come through this handle (the reader skipped some, or the kernel had pages cached from an
 * earlier reader), that read checks the whole file instead, once. Files without a stored checksum
 * are not checked. Thread-safe: a handle can have several reads in flight.
 */
public final class ReadVerifier {
    /** Most separate ranges kept per open file; past this, the end-of-file read checks the whole file. */
    private static final int MAX_RANGES = 1024;

    private final ArchiveView archive;
    private final FileEntry file;
    /** Disjoint, non-adjacent ranges of the file read so far, by start. */
    private final TreeMap<Long, Range> ranges = new TreeMap<>();
    /** Whether too many separate ranges were read to keep track of them. */
    private boolean untracked;
    /** CRC-32C of the whole file, once computed because the reads did not cover it. */
    private Long wholeFile;
    /** Reads of this file started with {@link #read} and not finished. */
    private int inFlight;
    /** Of those, the ones that reached the end and wait for the others. */
    private int waitingAtEnd;

    /** Bytes up to {@code end} from the range's start: their checksum is {@code base}'s followed by {@code tail}'s. */
    private static final class Range {
        long end;
        long base;
        CRC32C tail = new CRC32C();
        long tailLength;

        /** An empty range at {@code start}. */
        Range(long start) {
            this.end = start;
        }

        long crc() {
            return Crc32cCombine.combine(base, tail.getValue(), tailLength);
        }

        void append(ByteBuffer bytes) {
            int n = bytes.remaining();
            tail.update(bytes);
            tailLength += n;
            end += n;
        }

        void append(Range next, long length) {
            base = Crc32cCombine.combine(crc(), next.crc(), length);
            tail = new CRC32C();
            tailLength = 0;
            end = next.end;
        }
    }

    public ReadVerifier(ArchiveView archive, FileEntry file) {
        this.archive = archive;
        this.file = file;
    }

    /**
     * A verifier for a file being opened. An empty file is checked at once, as no read will reach
     * its end: its stored checksum must be that of no bytes, 0.
     *
     * @throws ChecksumMismatchException for an empty file whose stored checksum is not 0
     */
    public static ReadVerifier open(ArchiveView archive, FileEntry file) throws ChecksumMismatchException {
        Long expected = file.crc32c();
        if (file.size() == 0 && expected != null && expected != 0) {
            throw new ChecksumMismatchException(file, 0);
        }
        return new ReadVerifier(archive, file);
    }

    /** Whether there is anything to check: the file has a stored checksum. */
    public static boolean applies(FileEntry file) {
        return file.crc32c() != null;
    }

    /**
     * Reads like {@link Archive#read} and checks what it read.
     *
     * @throws ChecksumMismatchException when the bytes read reach the end of the file and the file's
     *                                   bytes do not have its stored checksum
     */
    public int read(long position, ByteBuffer dst) throws IOException {
        synchronized (this) {
            inFlight++;
        }
        try {
            ByteBuffer read = dst.duplicate();
            int n = archive.read(file, position, dst);
            bytesRead(position, read.limit(read.position() + n));
            return n;
        } finally {
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        }
    }

    /**
     * Accounts for {@code bytes} (position to limit), just read from the file at {@code position}.
     *
     * @throws ChecksumMismatchException when these bytes reach the end of the file and the file's
     *                                   bytes do not have its stored checksum
     */
    public void bytesRead(long position, ByteBuffer bytes) throws IOException {
        Long expected = file.crc32c();
        if (expected == null) {
            return;
        }
        long end = position + bytes.remaining();
        long actual;
        synchronized (this) {
            add(position, end, bytes);
            notifyAll();
            if (end < file.size()) {
                return;
            }
            Range first = awaitReadsInFlight();
            if (first != null && first.end >= file.size()) {
                actual = first.crc();
            } else {
                if (wholeFile == null) {
                    wholeFile = archive.checksum(file);
                }
                actual = wholeFile;
            }
        }
        if (actual != expected) {
            throw new ChecksumMismatchException(file, actual);
        }
    }

    /**
     * The range read from byte 0, once it covers the file or no other read of the file is still in
     * flight (reads waiting here themselves do not count, so two never wait for each other).
     */
    private Range awaitReadsInFlight() throws InterruptedIOException {
        int self = inFlight > 0 ? 1 : 0; // called from read, or directly with the bytes
        for (Range first = ranges.get(0L); ; first = ranges.get(0L)) {
            if ((first != null && first.end >= file.size()) || inFlight - self - waitingAtEnd <= 0) {
                return first;
            }
            waitingAtEnd++;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(file.path() + ": interrupted while checking its checksum");
            } finally {
                waitingAtEnd--;
            }
        }
    }

    /** Bytes {@code [from, to)} of {@code bytes}, counted from its position. */
    private static ByteBuffer slice(ByteBuffer bytes, long from, long to) {
        ByteBuffer part = bytes.duplicate();
        part.limit(part.position() + (int) to).position(part.position() + (int) from);
        return part;
    }

    /** Records bytes {@code [start, end)}; parts already recorded (a re-read) are left out. */
    private void add(long start, long end, ByteBuffer bytes) {
        for (long at = start; at < end && !untracked; ) {
            Map.Entry<Long, Range> covering = ranges.floorEntry(at);
            if (covering != null && covering.getValue().end > at) {
                at = Math.min(end, covering.getValue().end);
                continue;
            }
            Long following = ranges.higherKey(at);
            long gapEnd = following == null ? end : Math.min(end, following);
            insert(at, slice(bytes, at - start, gapEnd - start));
            at = gapEnd;
        }
    }

    /**
     * Adds bytes at {@code start} that overlap no range: appended to the range that ends there, or
     * a new range; then joined with the range that starts where they end.
     */
    private void insert(long start, ByteBuffer bytes) {
        Map.Entry<Long, Range> before = ranges.floorEntry(start);
        Range range;
        if (before != null && before.getValue().end == start) {
            range = before.getValue();
        } else {
            range = new Range(start);
            ranges.put(start, range);
        }
        range.append(bytes);
        Range after = ranges.remove(range.end);
        if (after != null) {
            range.append(after, after.end - range.end);
        }
        if (ranges.size() > MAX_RANGES) {
            ranges.clear();
            untracked = true;
        }
    }
}
