package org.barecat.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongToIntFunction;
import java.util.stream.Stream;

/**
 * Shard bytes on local disk, in blocks of {@link #BLOCK_SIZE} fetched whole: one file per block
 * ({@code DIR/OBJECT/BLOCK}, OBJECT naming a version of a shard), the least recently used removed
 * beyond the capacity. A block is written under a temporary name and renamed when complete, so a
 * reader (in this process or another mount sharing the directory) sees all of it or none, and never
 * one from a failed or short response. Concurrent readers of a block that is not there wait for one
 * fetch, then read the block's file. Recency survives remounts as the files' modification times.
 */
final class BlockCache {
    private static final Logger log = LoggerFactory.getLogger(BlockCache.class);
    /**
     * Bytes per cached file and per ranged GET of a reader, chosen by measurement (bench/remote.sh; the
     * system property is its knob): a larger block makes a shuffled epoch fewer requests, a smaller
     * one costs a sparse reader fewer bytes, and each request in flight holds a buffer of a block.
     */
    static final int BLOCK_SIZE = Integer.getInteger("barecat.block_size", 2 << 20);
    /**
     * Blocks being fetched at once, readers' and fetches ahead together: each holds a buffer of a block
     * in the daemon's small heap until stored, whatever the number of threads asking.
     */
    private static final int FETCHES = Math.max(4, (32 << 20) / BLOCK_SIZE);
    /** Blocks a request of a {@link #fill} asks for: fewer, larger requests than a reader's, within a quarter of {@link #FETCHES}. */
    static final int FILL_RUN = Math.max(1, FETCHES / 4);
    /** How often a reader fetches a block that is gone again before it could read it (a cache too small for the readers). */
    private static final int ATTEMPTS = 3;
    /** A block read again after this long has its modification time renewed (recency for the next mount). */
    private static final long TOUCH_MS = 60_000;
    private static final String TEMPORARY = ".tmp-";
    private static final int WRITE_CHUNK = 64 << 10;

    /**
     * Fetches the adjacent blocks {@code first} to {@code first + count - 1} in one request: block
     * {@code first + i}'s bytes, exactly its length, into {@code into[i]} (of {@link #BLOCK_SIZE} bytes), or throws.
     */
    @FunctionalInterface
    interface RunFetcher {
        void fetch(long first, int count, byte[][] into) throws IOException;
    }

    /**
     * A block's fetch. It completes with null once the block is stored (readers then read its file),
     * or with the block's bytes when the cache could not store them.
     */
    private static class Fetch extends CompletableFuture<byte[]> {
    }

    /** A fetch made ahead of the reads: a reader that finds it failed fetches for itself. */
    private static final class Ahead extends Fetch {
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
    private final ConcurrentHashMap<Path, Fetch> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean storeFailureLogged = new AtomicBoolean();
    /** Permits for the buffers of the fetches under way, {@link #FETCHES} in all. */
    private final Semaphore fetching = new Semaphore(FETCHES);
    /**
     * Buffers of a block that no fetch holds. They are reused: a new array per block, held while its
     * request is in flight, outlives the young generation and fills the daemon's small heap with garbage.
     */
    private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
    /** Bytes of the capacity not yet claimed by a {@link #fill}. */
    private final AtomicLong fillBudget;

    BlockCache(Path dir, long capacity) throws IOException {
        this.dir = dir;
        this.capacity = capacity;
        this.fillBudget = new AtomicLong(capacity);
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
     * into {@code dst}, fetching the block when it is not on disk.
     *
     * @param lengths each block's length (the last one of an object is shorter)
     * @throws IOException when the block is not cached and cannot be fetched; {@code dst} is then unchanged
     */
    void read(String object, long block, int offset, ByteBuffer dst, LongToIntFunction lengths, RunFetcher fetcher)
            throws IOException {
        Path file = file(object, block);
        int length = lengths.applyAsInt(block);
        for (int attempt = 1; ; attempt++) {
            if (readStored(file, length, offset, dst)) {
                return;
            }
            if (attempt > ATTEMPTS) {
                throw new IOException(file + ": removed from the cache as soon as stored (cache_size= too small for the readers?)");
            }
            Fetch fetch = inFlight.get(file);
            if (fetch == null) {
                Fetch mine = new Fetch();
                fetch = inFlight.putIfAbsent(file, mine);
                if (fetch == null) {
                    fetch = mine;
                    fetchRun(new Run(block, List.of(file), List.of(mine)), lengths, fetcher);
                }
            }
            byte[] bytes;
            try {
                bytes = await(fetch);
            } catch (IOException e) {
                if (!(fetch instanceof Ahead)) {
                    throw e;
                }
                continue; // a fetch ahead failed (and left): this reader fetches the block itself
            }
            if (bytes != null) {
                dst.put(bytes, offset, dst.remaining());
                return;
            } // else stored: read from its file
        }
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
        for (Run run : claim(object, missing, end)) {
            try {
                executor.execute(() -> fetchRun(run, lengths, fetcher));
            } catch (RejectedExecutionException closing) { // the archive is being closed
                abandon(run, closing);
            }
        }
    }

    /**
     * Fetches every block of {@code object} ({@code blocks} of them, {@code size} bytes) that is neither
     * stored nor being fetched, in order, {@link #FILL_RUN} blocks a request and {@code streams} requests
     * at once, on {@code executor}: a prefetch for a reader that will read it all. It claims a share of
     * the capacity, so that what it fetches is not evicted by what it fetches next; false, and nothing
     * fetched, when the object does not fit in what is left of it. A request that fails stops the fill:
     * it gives its share back and runs {@code failed}, so its owner can start it again later.
     *
     * @param lengths each block's length (the last one of an object is shorter)
     */
    boolean fill(String object, long size, long blocks, LongToIntFunction lengths, RunFetcher fetcher,
                 Executor executor, int streams, Runnable failed) {
        if (fillBudget.addAndGet(-size) < 0) {
            fillBudget.addAndGet(size);
            return false;
        }
        Fill fill = new Fill(object, size, blocks, lengths, fetcher, executor, streams, failed);
        for (int i = 0; i < streams; i++) {
            fill.submit();
        }
        return true;
    }

    /** A {@link #fill} under way: tasks that each fetch the next run of blocks, then queue themselves again. */
    private final class Fill implements Runnable {
        private final String object;
        private final long size;
        private final long blocks;
        private final LongToIntFunction lengths;
        private final RunFetcher fetcher;
        private final Executor executor;
        private final Runnable onFailure;
        private final AtomicLong next = new AtomicLong();
        private final AtomicInteger running;
        private volatile boolean failed;

        Fill(String object, long size, long blocks, LongToIntFunction lengths, RunFetcher fetcher, Executor executor,
             int streams, Runnable onFailure) {
            this.object = object;
            this.size = size;
            this.blocks = blocks;
            this.lengths = lengths;
            this.fetcher = fetcher;
            this.executor = executor;
            this.onFailure = onFailure;
            this.running = new AtomicInteger(streams);
        }

        /** One run a task, so that the fetches ahead of readers queued meanwhile go first. */
        void submit() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException closing) {
                stop(); // the archive is being closed
            }
        }

        @Override
        public void run() {
            long first = next.getAndAdd(FILL_RUN);
            if (failed || first >= blocks) {
                stop();
                return;
            }
            for (Run run : claim(object, first, Math.min(blocks, first + FILL_RUN))) {
                if (failed) {
                    abandon(run, new IOException(object + ": prefetch stopped"));
                } else if (!fetchRun(run, lengths, fetcher)) {
                    failed = true; // the server is failing: readers fetch what they need, and log it
                }
            }
            if (failed) {
                stop();
            } else {
                submit();
            }
        }

        private void stop() {
            if (running.decrementAndGet() == 0 && failed) {
                fillBudget.addAndGet(size); // what it stored stays, as ordinary cached blocks
                onFailure.run();
            }
        }
    }

    /** Adjacent blocks claimed for one request: {@code files} from block {@code first} on. */
    private record Run(long first, List<Path> files, List<? extends Fetch> fetches) {
    }

    /** Claims the blocks of {@code object} from {@code first} to {@code end - 1} neither stored nor being fetched, as runs of adjacent ones. */
    private List<Run> claim(String object, long first, long end) {
        List<Run> runs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Ahead> fetches = new ArrayList<>();
        long runStart = first;
        for (long block = first; block <= end; block++) {
            Path file = block < end ? file(object, block) : null;
            Ahead ahead = new Ahead();
            if (file != null && !known(file) && inFlight.putIfAbsent(file, ahead) == null) {
                files.add(file);
                fetches.add(ahead);
                continue;
            }
            if (!files.isEmpty()) {
                runs.add(new Run(runStart, List.copyOf(files), List.copyOf(fetches)));
                files.clear();
                fetches.clear();
            }
            runStart = block + 1;
        }
        return runs;
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

    /**
     * Fetches a claimed run into buffers, stores its blocks and completes their fetches; false when the
     * fetch failed, which fails the fetches (readers waiting for one made ahead fetch for themselves).
     */
    private boolean fetchRun(Run run, LongToIntFunction lengths, RunFetcher fetcher) {
        int count = run.files().size();
        fetching.acquireUninterruptibly(count);
        byte[][] into = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] free = buffers.poll();
            into[i] = free != null ? free : new byte[BLOCK_SIZE];
        }
        try {
            fetcher.fetch(run.first(), count, into);
            for (int i = 0; i < count; i++) {
                stored(run.files().get(i), into[i], lengths.applyAsInt(run.first() + i), run.fetches().get(i));
            }
            return true;
        } catch (IOException | RuntimeException | Error e) { // an Error too: those waiting must not wait forever
            abandon(run, e);
            return false;
        } finally {
            buffers.addAll(Arrays.asList(into));
            fetching.release(count);
        }
    }

    /** Fails a claimed run's fetches and forgets them: readers waiting for a fetch ahead then fetch for themselves. */
    private void abandon(Run run, Throwable why) {
        for (int i = 0; i < run.files().size(); i++) {
            run.fetches().get(i).completeExceptionally(why);
            inFlight.remove(run.files().get(i), run.fetches().get(i));
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

    /**
     * Stores a fetched block, completes its fetch and forgets it: readers waiting then read the file,
     * or, when the cache could not store it, a copy of the bytes.
     */
    private void stored(Path file, byte[] buffer, int length, Fetch fetch) {
        try {
            fetch.complete(store(file, buffer, length) ? null : Arrays.copyOf(buffer, length));
        } finally {
            inFlight.remove(file, fetch);
        }
    }

    /** Writes a fetched block: under a temporary name, then renamed; false when it cannot (which costs only the caching). */
    private boolean store(Path file, byte[] buffer, int length) {
        Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(temporary)) {
                for (int at = 0; at < length; at += WRITE_CHUNK) { // the JDK copies each write through a direct buffer of its size
                    out.write(buffer, at, Math.min(WRITE_CHUNK, length - at));
                }
            }
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
            return false;
        }
        synchronized (lru) {
            Stored old = lru.put(file, new Stored(length, System.currentTimeMillis()));
            total += length - (old == null ? 0 : old.size);
        }
        evict();
        return true;
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
