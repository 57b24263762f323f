package org.barecat.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.zip.CRC32C;

/**
 * Stores files and directories from disk into an archive. With more than one worker, files are
 * read and checksummed by a thread pool ahead of the (single) writing thread; they are still
 * written in walk order, so the archive is byte for byte the one a single worker makes. Files
 * read ahead are held in memory up to a fixed budget; larger files are streamed by the writer.
 */
public final class Packer {
    /** Files up to this size are read ahead whole. */
    static final int READ_AHEAD_MAX_FILE = 4 << 20;
    /** Bytes read ahead and not yet written, at most. */
    static final int READ_AHEAD_BUDGET = 64 << 20;


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

    /** A file read into memory, or the reason it could not be. */
    private record Loaded(SourceEntry entry, ByteBuffer data, long crc32c, String problem) {
        static final Loaded END = new Loaded(null, null, 0, null);
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
                            queue.put(CompletableFuture.completedFuture(new Loaded(e, null, 0, null)));
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

    /** Reads a whole (small) file and its checksum; a file that cannot be read gives a problem. */
    private static Loaded load(SourceEntry e) {
        int size = (int) e.size();
        ByteBuffer data = ByteBuffer.allocate(size);
        try (FileChannel in = FileChannel.open(e.source(), StandardOpenOption.READ)) {
            while (data.hasRemaining()) {
                if (in.read(data) < 0) {
                    return new Loaded(e, null, 0, "file shrank while being read (" + data.position() + " of " + size
                            + " bytes); not stored");
                }
            }
        } catch (IOException ex) {
            return new Loaded(e, null, 0, describe(ex));
        }
        data.flip();
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return new Loaded(e, data, crc.getValue(), null);
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
                tally.directories++;
                listener.done(path, 0);
                return;
            }
            if (sink.skips(path)) {
                tally.skipped++;
                listener.skipped(path, "already in the archive");
                return;
            }
            if (loaded != null && loaded.problem() != null) {
                problem(e.shown(), loaded.problem());
                return;
            }
            if (loaded != null) {
                sink.add(path, loaded.data(), loaded.crc32c(), e.attributes());
            } else {
                try (InputStream in = Files.newInputStream(e.source())) {
                    sink.add(path, in, e.size(), e.attributes());
                } catch (NoSuchFileException | AccessDeniedException ex) {
                    problem(e.shown(), describe(ex));
                    return;
                }
            }
            tally.files++;
            tally.bytes += e.size();
            listener.done(path, e.size());
        } catch (EOFException ex) {
            problem(e.shown(), "file shrank while being read; not stored");
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
        tally.problems++;
        listener.problem(what, message);
    }
}
