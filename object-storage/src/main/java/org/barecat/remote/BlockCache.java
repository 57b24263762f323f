package org.barecat.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongToIntFunction;
import java.util.stream.Stream;

/**
 * Shard bytes on local disk, in blocks of {@link #BLOCK_SIZE} fetched whole: one file per block
 * ({@code DIR/OBJECT/BLOCK}, OBJECT naming a version of a shard), the least recently used removed
 * beyond the capacity. A block is written under a temporary name and renamed when complete, so a
 * reader (in this process or another mount sharing the directory) sees all of it or none, and never
 * one from a failed or short response. Concurrent readers of a block that is not there wait for one
 * fetch. Recency survives remounts as the files' modification times.
 */
final class BlockCache {
    private static final Logger log = LoggerFactory.getLogger(BlockCache.class);
    /**
     * Bytes per cached file and per ranged GET of a reader, chosen by measurement (bench/remote.sh; the
     * system property is its knob): a larger block makes a shuffled epoch fewer requests, a smaller
     * one costs a sparse reader fewer bytes, and each request in flight holds its block in the heap.
     */
    static final int BLOCK_SIZE = Integer.getInteger("barecat.block_size", 2 << 20);
    /**
     * Blocks being fetched at once, readers' and fetches ahead together: each holds its bytes in the
     * daemon's small heap until stored, whatever the number of threads asking.
     */
    private static final int FETCHES = Math.max(4, (32 << 20) / BLOCK_SIZE);
    /** A block read again after this long has its modification time renewed (recency for the next mount). */
    private static final long TOUCH_MS = 60_000;
    private static final String TEMPORARY = ".tmp-";

    /** Fetches a whole block: exactly its length, or throws. */
    @FunctionalInterface
    interface Fetcher {
        byte[] fetch() throws IOException;
    }

    /** Fetches the adjacent blocks {@code first} to {@code first + count - 1} in one request: exactly their bytes, or throws. */
    @FunctionalInterface
    interface RunFetcher {
        byte[] fetch(long first, int count) throws IOException;
    }

    /** A fetch made ahead of the reads: a reader that finds it failed fetches for itself. */
    private static final class Ahead extends CompletableFuture<byte[]> {
    }

    private static final class Stored {
        final long size;
        long touchedMs;

        Stored(long size, long touchedMs) {
            this.size = size;
            this.touchedMs = touchedMs;
        }
    }

    private final Path dir;
    private final long capacity;
    /** Blocks on disk this process knows of, least recently used first; guarded by itself. */
    private final LinkedHashMap<Path, Stored> lru = new LinkedHashMap<>(1024, 0.75f, true);
    private long total;
    private final ConcurrentHashMap<Path, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean storeFailureLogged = new AtomicBoolean();
    private final Semaphore fetching = new Semaphore(FETCHES);

    BlockCache(Path dir, long capacity) throws IOException {
        this.dir = dir;
        this.capacity = capacity;
        Files.createDirectories(dir);
        scan();
    }

    /** Learns the blocks earlier mounts left, oldest first, and trims them to the capacity. */
    private void scan() throws IOException {
        record Found(Path file, long size, long modifiedMs) {
        }
        List<Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.isRegularFile(file) && !file.getFileName().toString().contains(TEMPORARY)) {
                        found.add(new Found(file, Files.size(file), Files.getLastModifiedTime(file).toMillis()));
                    }
                } catch (NoSuchFileException e) {
                    // removed by another mount meanwhile
                }
            }
        }
        found.sort(Comparator.comparingLong(Found::modifiedMs));
        synchronized (lru) {
            for (Found f : found) {
                lru.put(f.file(), new Stored(f.size(), f.modifiedMs()));
                total += f.size();
            }
        }
        evict();
    }

    /**
     * Copies {@code dst.remaining()} bytes at {@code offset} of block {@code block} of {@code object}
     * ({@code length} bytes long) into {@code dst}, fetching the block when it is not on disk.
     *
     * @throws IOException when the block is not cached and cannot be fetched; {@code dst} is then unchanged
     */
    void read(String object, long block, int length, int offset, ByteBuffer dst, Fetcher fetcher) throws IOException {
        Path file = file(object, block);
        if (readStored(file, length, offset, dst)) {
            return;
        }
        byte[] bytes = null;
        while (bytes == null) {
            CompletableFuture<byte[]> mine = new CompletableFuture<>();
            CompletableFuture<byte[]> running = inFlight.putIfAbsent(file, mine);
            if (running == null) {
                fetching.acquireUninterruptibly();
                try {
                    bytes = fetcher.fetch();
                    mine.complete(bytes);
                    stored(file, bytes, mine);
                } catch (IOException | RuntimeException | Error e) { // an Error too: those waiting must not wait forever
                    mine.completeExceptionally(e);
                    inFlight.remove(file, mine);
                    throw e;
                } finally {
                    fetching.release();
                }
            } else {
                try {
                    bytes = await(running);
                } catch (IOException e) {
                    if (!(running instanceof Ahead)) {
                        throw e;
                    } // a fetch ahead failed (and left): this reader fetches the block itself
                }
            }
        }
        dst.put(bytes, offset, dst.remaining());
    }

    private Path file(String object, long block) {
        return dir.resolve(object).resolve(Long.toString(block));
    }

    /**
     * Fetches ahead, on {@code executor}, the blocks of {@code object} from {@code first} on, up to
     * {@code count} of them, that are neither stored nor being fetched, each run of adjacent ones in
     * one request; but only once the first such block is among the nearer half, so that a reader
     * going forward makes a request every {@code count / 2} blocks, each of that many.
     *
     * @param lengths each block's length (the last one of an object is shorter)
     */
    void fetchAhead(String object, long first, int count, LongToIntFunction lengths,
                    RunFetcher fetcher, Executor executor) {
        long end = first + count;
        long missing = first;
        while (missing < end && known(file(object, missing))) {
            missing++;
        }
        if (missing >= first + count / 2) {
            return;
        }
        List<Path> files = new ArrayList<>();
        List<Ahead> fetches = new ArrayList<>();
        long runStart = missing;
        for (long block = missing; block <= end; block++) {
            Path file = block < end ? file(object, block) : null;
            Ahead ahead = new Ahead();
            if (file != null && !known(file) && inFlight.putIfAbsent(file, ahead) == null) {
                files.add(file);
                fetches.add(ahead);
                continue;
            }
            if (!files.isEmpty()) {
                List<Path> runFiles = List.copyOf(files);
                List<Ahead> runFetches = List.copyOf(fetches);
                long start = runStart;
                executor.execute(() -> fetchRun(start, runFiles, runFetches, lengths, fetcher));
                files.clear();
                fetches.clear();
            }
            runStart = block + 1;
        }
    }

    /** Whether {@code file} is stored (as far as this process knows) or being fetched. */
    private boolean known(Path file) {
        if (inFlight.containsKey(file)) {
            return true;
        }
        synchronized (lru) {
            return lru.containsKey(file);
        }
    }

    private void fetchRun(long first, List<Path> files, List<Ahead> fetches, LongToIntFunction lengths,
                          RunFetcher fetcher) {
        int permits = Math.min(files.size(), FETCHES);
        fetching.acquireUninterruptibly(permits);
        try {
            byte[] run = fetcher.fetch(first, files.size());
            int at = 0;
            for (int i = 0; i < files.size(); i++) {
                int length = lengths.applyAsInt(first + i);
                byte[] bytes = Arrays.copyOfRange(run, at, at + length);
                at += length;
                fetches.get(i).complete(bytes);
                stored(files.get(i), bytes, fetches.get(i));
            }
        } catch (IOException | RuntimeException | Error e) { // an Error too: the readers waiting fetch for themselves
            for (int i = 0; i < files.size(); i++) {
                fetches.get(i).completeExceptionally(e);
                inFlight.remove(files.get(i), fetches.get(i));
            }
        } finally {
            fetching.release(permits);
        }
    }

    private static byte[] await(CompletableFuture<byte[]> fetch) throws IOException {
        try {
            return fetch.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a block");
        }
    }

    /** Reads from the block's file, when it is there whole; false (and {@code dst} unchanged) when not. */
    private boolean readStored(Path file, int length, int offset, ByteBuffer dst) throws IOException {
        int start = dst.position();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != length) {
                return false;
            }
            for (long position = offset; dst.hasRemaining(); ) {
                int n = channel.read(dst, position);
                if (n < 0) {
                    dst.position(start);
                    return false;
                }
                position += n;
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        used(file, length);
        return true;
    }

    /** Notes a read of a stored block: most recently used now (and on disk, once a minute at most). */
    private void used(Path file, long size) {
        long now = System.currentTimeMillis();
        boolean touch;
        boolean added = false;
        synchronized (lru) {
            Stored s = lru.get(file);
            if (s == null) { // stored by another mount sharing the directory
                s = new Stored(size, now);
                lru.put(file, s);
                total += size;
                added = true;
            }
            touch = now - s.touchedMs > TOUCH_MS;
            if (touch) {
                s.touchedMs = now;
            }
        }
        if (touch) {
            try {
                Files.setLastModifiedTime(file, FileTime.fromMillis(now));
            } catch (IOException e) {
                // removed meanwhile: the next read fetches it again
            }
        }
        if (added) {
            evict();
        }
    }

    /** Stores a fetched block, then forgets its fetch: meanwhile, readers take the fetch's bytes rather than fetch again. */
    private void stored(Path file, byte[] bytes, CompletableFuture<byte[]> fetch) {
        try {
            store(file, bytes);
        } finally {
            inFlight.remove(file, fetch);
        }
    }

    /** Writes a fetched block: under a temporary name, then renamed. A failure costs only the caching. */
    private void store(Path file, byte[] bytes) {
        Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(file.getParent());
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (storeFailureLogged.compareAndSet(false, true)) {
                log.warn("{}: cannot store blocks in the cache ({}); reads go to the server", dir, e.toString());
            }
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return;
        }
        synchronized (lru) {
            Stored old = lru.put(file, new Stored(bytes.length, System.currentTimeMillis()));
            total += bytes.length - (old == null ? 0 : old.size);
        }
        evict();
    }

    /** Removes the least recently used blocks until the cache fits its capacity. */
    private void evict() {
        List<Path> remove = new ArrayList<>();
        synchronized (lru) {
            for (Iterator<Map.Entry<Path, Stored>> it = lru.entrySet().iterator(); total > capacity && it.hasNext(); ) {
                Map.Entry<Path, Stored> eldest = it.next();
                it.remove();
                total -= eldest.getValue().size;
                remove.add(eldest.getKey());
            }
        }
        for (Path file : remove) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("{}: {}", file, e.toString());
            }
        }
    }

    /** Bytes of blocks this process knows to be on disk. */
    long size() {
        synchronized (lru) {
            return total;
        }
    }
}
