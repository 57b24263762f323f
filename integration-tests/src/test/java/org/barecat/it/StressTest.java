package org.barecat.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load: 16 readers doing random whole-file and random-range reads of a multi-shard archive while
 * two walkers list and stat the whole tree, for a bounded time ({@code -Dbarecat.stress.seconds},
 * 20 by default). Every byte is compared with the source. The mount uses {@code direct_io} and zero
 * cache timeouts so that every read, lookup and listing reaches the daemon instead of the kernel's
 * caches. The daemon's open descriptors, threads and resident memory are sampled twice a second:
 * after the first quarter (warm-up) they must stay within fixed bounds of their highest warm-up values.
 */
class StressTest {
    private static final int SECONDS = Integer.getInteger("barecat.stress.seconds", 20);
    private static final int READERS = 16;
    private static final int WALKERS = 2;
    private static final int FILES = 240;
    /** Growth allowed after warm-up: a leak per request would pass these within seconds. */
    private static final long MAX_FD_GROWTH = 16;
    private static final long MAX_THREAD_GROWTH = 16;
    private static final long MAX_RSS_GROWTH_KB = 48 * 1024;

    @TempDir
    Path tmp;

    private final Map<String, byte[]> contents = new TreeMap<>();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong bytesChecked = new AtomicLong();
    private final AtomicLong walks = new AtomicLong();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    private Path buildArchive() throws IOException {
        Path source = Files.createDirectory(tmp.resolve("source"));
        Random random = new Random(2024);
        for (int i = 0; i < FILES; i++) {
            String path = "class" + (i % 12) + "/" + (i % 5 == 0 ? "deep/er/" : "") + "item-" + i + ".bin";
            int size = i % 24 == 0 ? 2_000_000 + random.nextInt(2_000_000) // a few large files
                    : i % 7 == 0 ? 0 : random.nextInt(96 * 1024);
            byte[] data = Trees.randomBytes(random, size);
            Files.createDirectories(source.resolve(path).getParent());
            Files.write(source.resolve(path), data);
            contents.put(path, data);
        }
        Path archive = tmp.resolve("stress.barecat");
        Launchers.create(source, archive, "-s", "3M");
        assertTrue(Files.exists(tmp.resolve("stress.barecat-shard-00004")), "several shards");
        return archive;
    }

    private record Sample(long fds, long threads, long rssKb) {
        static Sample of(long pid) throws IOException {
            long fds;
            try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = list.count();
            }
            long threads = 0;
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new Sample(fds, threads, rss);
        }
    }

    @Test
    void concurrentReadersAndWalkersGetEveryByteRightAndTheDaemonDoesNotGrow() throws Exception {
        buildArchive();
        List<String> paths = new ArrayList<>(contents.keySet());
        try (Mount mount = Mount.of(tmp.resolve("stress.barecat"),
                "-o", "direct_io,entry_timeout=0,attr_timeout=0,negative_timeout=0")) {
            long pid = mount.daemon().orElseThrow().pid();
            long start = System.nanoTime();
            long end = start + SECONDS * 1_000_000_000L;
            long warmUpEnd = start + SECONDS * 250_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(READERS + WALKERS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < READERS; t++) {
                long seed = t;
                workers.add(pool.submit(() -> readUntil(mount, paths, new Random(seed), end)));
            }
            for (int t = 0; t < WALKERS; t++) {
                workers.add(pool.submit(() -> walkUntil(mount, end)));
            }
            Sample warm = null; // the highest of each during warm-up
            List<Sample> after = new ArrayList<>();
            while (System.nanoTime() < end) {
                Thread.sleep(500);
                Sample s = Sample.of(pid);
                if (System.nanoTime() < warmUpEnd) {
                    warm = warm == null ? s : new Sample(Math.max(warm.fds(), s.fds()),
                            Math.max(warm.threads(), s.threads()), Math.max(warm.rssKb(), s.rssKb()));
                } else {
                    after.add(s);
                }
            }
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            System.out.printf("stress: %d s, %d reads, %d MB checked, %d walks; daemon at warm-up %s, after %s%n",
                    SECONDS, reads.get(), bytesChecked.get() >> 20, walks.get(), warm, after);

            assertEquals(List.of(), new ArrayList<>(problems), "mismatches and errors");
            assertTrue(reads.get() > 0 && walks.get() > 0, "the load ran");
            for (Sample s : after) {
                assertTrue(s.fds() <= warm.fds() + MAX_FD_GROWTH, "open descriptors grew: " + warm + " -> " + s);
                assertTrue(s.threads() <= warm.threads() + MAX_THREAD_GROWTH, "threads grew: " + warm + " -> " + s);
                assertTrue(s.rssKb() <= warm.rssKb() + MAX_RSS_GROWTH_KB, "resident memory grew: " + warm + " -> " + s);
            }
            Programs.run("diff", "-r", tmp.resolve("source").toString(), mount.point.toString()).ok();
        }
    }

    private void readUntil(Mount mount, List<String> paths, Random random, long end) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * 1024 * 1024 + 1);
        while (System.nanoTime() < end && problems.size() < 20) {
            String path = paths.get(random.nextInt(paths.size()));
            byte[] expected = contents.get(path);
            try (FileChannel channel = FileChannel.open(mount.path(path))) {
                if (random.nextBoolean()) {
                    int chunk = 1 + random.nextInt(256 * 1024);
                    buffer.clear();
                    while (true) {
                        buffer.limit(Math.min(buffer.capacity(), buffer.position() + chunk));
                        if (channel.read(buffer) <= 0) {
                            break;
                        }
                    }
                    check(path, expected, 0, buffer.capacity(), buffer.flip());
                } else {
                    long position = random.nextInt(expected.length + 10);
                    int requested = 1 + random.nextInt(1024 * 1024);
                    buffer.clear().limit(requested);
                    while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                        // positional reads until the range is full or the file ends
                    }
                    check(path, expected, position, requested, buffer.flip());
                }
                reads.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                problems.add(path + ": " + e);
            }
        }
    }

    /** The bytes read must be exactly the file's bytes from {@code position}, up to its end or {@code requested}. */
    private void check(String path, byte[] expected, long position, int requested, ByteBuffer got) {
        int from = (int) Math.min(position, expected.length);
        byte[] want = Arrays.copyOfRange(expected, from, (int) Math.min(expected.length, (long) from + requested));
        byte[] actual = new byte[got.remaining()];
        got.get(actual);
        if (!Arrays.equals(want, actual)) {
            problems.add(path + ": wrong bytes at " + position + " (" + actual.length + " read, " + want.length
                    + " expected)");
        }
        bytesChecked.addAndGet(actual.length);
    }

    private void walkUntil(Mount mount, long end) {
        while (System.nanoTime() < end && problems.size() < 20) {
            Map<String, Long> seen = new TreeMap<>();
            try {
                Files.walkFileTree(mount.point, new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        seen.put(mount.point.relativize(file).toString(), attrs.size());
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                });
                Map<String, Long> expected = new TreeMap<>();
                contents.forEach((p, b) -> expected.put(p, (long) b.length));
                if (!expected.equals(seen)) {
                    problems.add("walk saw " + seen.size() + " files, not the " + expected.size() + " expected");
                }
                walks.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                problems.add("walk: " + e);
            }
        }
    }
}
