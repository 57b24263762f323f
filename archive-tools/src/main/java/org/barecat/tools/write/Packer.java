package org.barecat.tools.write;

import org.barecat.core.InvalidArchivePathException;
import org.barecat.tools.ProgressListener;
import org.barecat.tools.Tally;
import org.barecat.tools.Totals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.ObjLongConsumer;
import java.util.zip.CRC32C;

/**
 * Stores files and directories from disk into an archive. With more than one worker, files are
 * read and checksummed by a thread pool ahead of the (single) writing thread; they are still
 * written in walk order, so the archive is byte for byte the one a single worker makes. Files
 * read ahead are held in memory up to a fixed budget; larger files are streamed by the writer.
 * A file that changes size while it is read (it was written to, or cut) is stored as read, up to the
 * size it had when the walk looked at it, and reported as a problem, as tar does.
 */
public final class Packer {
    /** Files up to this size are read ahead whole. */
    static final int READ_AHEAD_MAX_FILE = 4 << 20;
    /** Bytes read ahead and not yet written, at most. */
    static final int READ_AHEAD_BUDGET = 64 << 20;

    /**
     * Test seam: when set, called on the reading thread after each read from a source file, with the
     * file and the bytes read from it so far; a test changes the file there to make it change while
     * it is read, at a known point. Null outside tests.
     */
    public static volatile ObjLongConsumer<Path> readObserverForTests;

    private final ArchiveSink sink;
    private final int workers;
    private final boolean existingIsFatal;
    private final ProgressListener listener;
    private final Tally tally = new Tally();

    /**
     * @param workers         threads reading files (1: the calling thread reads)
     * @param existingIsFatal whether a path already in the archive stops the work (an IOException),
     *                        rather than being reported as a problem
     */
    public Packer(ArchiveSink sink, int workers, boolean existingIsFatal, ProgressListener listener) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        this.sink = sink;
        this.workers = workers;
        this.existingIsFatal = existingIsFatal;
        this.listener = listener;
    }

    /**
     * A file read into memory, or the reason it could not be; {@code sizeNow} is its size once read
     * (it differs from the bytes read when the file changed meanwhile).
     */
    private record Loaded(SourceEntry entry, ByteBuffer data, long crc32c, long sizeNow, String problem) {
        static final Loaded END = new Loaded(null, null, 0, 0, null);
    }

    /**
     * Stores every entry of {@code entries} (usually a {@link SourceWalker} walk).
     *
     * @throws IOException when the archive cannot be written (the sink should then be aborted)
     */
    public Totals pack(Iterator<SourceEntry> entries) throws IOException {
        if (workers == 1) {
            while (entries.hasNext()) {
                SourceEntry e = entries.next();
                store(e, isReadAhead(e) ? load(e) : null);
            }
        } else {
            packInParallel(entries);
        }
        return tally.totals();
    }

    private static boolean isReadAhead(SourceEntry e) {
        return !e.directory() && e.size() <= READ_AHEAD_MAX_FILE;
    }

    private void packInParallel(Iterator<SourceEntry> entries) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "barecat-reader");
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Future<Loaded>> queue = new ArrayBlockingQueue<>(workers * 16);
        Semaphore budget = new Semaphore(READ_AHEAD_BUDGET);
        Thread feeder = new Thread(() -> {
            try {
                try {
                    while (entries.hasNext()) {
                        SourceEntry e = entries.next();
                        if (isReadAhead(e)) {
                            budget.acquire((int) e.size());
                            queue.put(pool.submit(() -> load(e)));
                        } else {
                            queue.put(CompletableFuture.completedFuture(new Loaded(e, null, 0, 0, null)));
                        }
                    }
                    queue.put(CompletableFuture.completedFuture(Loaded.END));
                } catch (RuntimeException | Error e) {
                    queue.put(CompletableFuture.failedFuture(e));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the writer gave up
            }
        }, "barecat-walker");
        feeder.setDaemon(true);
        feeder.start();
        try {
            while (true) {
                Loaded loaded;
                try {
                    loaded = queue.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException("walking or reading files failed", e.getCause());
                }
                if (loaded == Loaded.END) {
                    break;
                }
                try {
                    store(loaded.entry(), loaded.data() == null && loaded.problem() == null ? null : loaded);
                } finally {
                    if (isReadAhead(loaded.entry())) {
                        budget.release((int) loaded.entry().size());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } finally {
            feeder.interrupt();
            pool.shutdownNow();
        }
    }

    /**
     * Reads a (small) file, up to its size when the walk looked at it, and its checksum; a file that
     * cannot be read gives a problem.
     */
    private static Loaded load(SourceEntry e) {
        ByteBuffer data = ByteBuffer.allocate((int) e.size());
        long sizeNow;
        try (FileChannel in = FileChannel.open(e.source(), StandardOpenOption.READ)) {
            while (data.hasRemaining() && in.read(data) >= 0) {
                observeRead(e.source(), data.position());
            }
            sizeNow = in.size();
        } catch (IOException ex) {
            return new Loaded(e, null, 0, 0, describe(ex));
        }
        data.flip();
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return new Loaded(e, data, crc.getValue(), sizeNow, null);
    }

    private static void observeRead(Path file, long bytesSoFar) {
        ObjLongConsumer<Path> observer = readObserverForTests;
        if (observer != null) {
            observer.accept(file, bytesSoFar);
        }
    }

    /** The file's bytes as an input stream that tells the test seam of each read. */
    private static InputStream observed(InputStream in, Path file) {
        if (readObserverForTests == null) {
            return in;
        }
        return new java.io.FilterInputStream(in) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    read += n;
                    observeRead(file, read);
                }
                return n;
            }
        };
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return "cannot read: " + e.getMessage();
    }

    /** Adds one entry; {@code loaded} is its content read ahead, or null to stream it now. */
    private void store(SourceEntry e, Loaded loaded) throws IOException {
        String path = e.archivePath();
        try {
            if (e.directory()) {
                sink.addDirectory(path, e.attributes());
                tally.directory();
                listener.done(path, 0);
                return;
            }
            if (sink.skips(path)) {
                tally.skipped();
                listener.skipped(path, "already in the archive");
                return;
            }
            if (loaded != null && loaded.problem() != null) {
                problem(e.shown(), loaded.problem());
                return;
            }
            long stored;
            long sizeNow;
            if (loaded != null) {
                stored = sink.add(path, loaded.data(), loaded.crc32c(), e.attributes()).size();
                sizeNow = loaded.sizeNow();
            } else {
                try (FileChannel channel = FileChannel.open(e.source(), StandardOpenOption.READ)) {
                    InputStream in = observed(Channels.newInputStream(channel), e.source());
                    stored = sink.addUpTo(path, in, e.size(), e.attributes()).size();
                    sizeNow = channel.size();
                } catch (NoSuchFileException | AccessDeniedException ex) {
                    problem(e.shown(), describe(ex));
                    return;
                }
            }
            tally.file(stored);
            listener.done(path, stored);
            if (stored != e.size() || sizeNow != stored) {
                problem(e.shown(), "file changed as we read it; stored the " + stored + " bytes read (" + e.size()
                        + " when looked at, " + sizeNow + " now)");
            }
        } catch (FileAlreadyExistsException ex) {
            if (existingIsFatal) {
                throw ex;
            }
            problem(path, ex.getReason() == null ? "already in the archive" : ex.getReason());
        } catch (InvalidArchivePathException ex) {
            problem(e.shown(), ex.getMessage());
        }
    }

    private void problem(String what, String message) {
        tally.problem();
        listener.problem(what, message);
    }
}
