import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Data generator and in-process reader for bench/run.sh (run as a single-file program:
 * {@code java BenchTool.java COMMAND ...}). One process per measurement, not one per file.
 *
 * <pre>
 * gen-images DIR FILES CLASSES   JPEGs of about 110 KB in CLASSES folders (real images; each file unique)
 * gen-small DIR FILES            FILES small files (0.5-4 KB) in folders of 1000
 * stat LIST ROOT                 lstat every path of LIST (relative to ROOT); prints files/s
 * read LIST ROOT THREADS [K/N]   read every file whole, shuffled, with THREADS readers; prints files/s and MB/s
 *                                (K/N: only the K-th of N equal slices of the shuffled order)
 * seq FILE [K/N]                 read FILE start to end in 1 MiB reads; prints MB/s (K/N: the K-th of N equal ranges)
 * </pre>
 */
public class BenchTool {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "gen-images" -> genImages(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "gen-small" -> genSmall(Path.of(args[1]), Integer.parseInt(args[2]));
            case "stat" -> stat(lines(args[1]), Path.of(args[2]));
            case "read" -> read(lines(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), args.length > 4 ? args[4] : "1/1");
            case "seq" -> seq(Path.of(args[1]), args.length > 2 ? args[2] : "1/1");
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(Path.of(file));
    }

    /** 64 distinct base JPEGs (~100 KB of noisy pixels), each file one of them plus a unique trailer after EOI. */
    static void genImages(Path dir, int files, int classes) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Random random = new Random(1);
        List<byte[]> bases = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            for (int k = 0; k < 3000; k++) {
                g.setColor(new Color(random.nextInt(0x1000000)));
                g.fillRect(random.nextInt(320), random.nextInt(240), 1 + random.nextInt(6), 1 + random.nextInt(6));
            }
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            bases.add(out.toByteArray());
        }
        for (int i = 0; i < files; i++) {
            Path cls = dir.resolve(String.format("n%08d", i % classes));
            Files.createDirectories(cls);
            byte[] base = bases.get(i % bases.size());
            int target = 100_000 + random.nextInt(20_000);
            byte[] data = new byte[Math.max(target, base.length + 16)];
            System.arraycopy(base, 0, data, 0, base.length);
            byte[] trailer = new byte[data.length - base.length];
            random.nextBytes(trailer);
            System.arraycopy(trailer, 0, data, base.length, trailer.length);
            Files.write(cls.resolve(String.format("img_%07d.JPEG", i)), data);
        }
    }

    static void genSmall(Path dir, int files) throws IOException {
        Random random = new Random(2);
        for (int i = 0; i < files; i++) {
            Path sub = dir.resolve(String.format("g%04d", i / 1000));
            if (i % 1000 == 0) {
                Files.createDirectories(sub);
            }
            byte[] data = new byte[512 + random.nextInt(3584)];
            random.nextBytes(data);
            Files.write(sub.resolve(String.format("s%07d.txt", i)), data);
        }
    }

    static void stat(List<String> paths, Path root) throws IOException {
        long start = System.nanoTime();
        long sizes = 0;
        for (String p : paths) {
            sizes += Files.readAttributes(root.resolve(p), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("files_per_s=%.0f seconds=%.3f bytes=%d%n", paths.size() / s, s, sizes);
    }

    /** Slice {@code k/n} (1-based) of {@code size} items: {from, to}. */
    static long[] slice(String kOfN, long size) {
        String[] parts = kOfN.split("/");
        long k = Long.parseLong(parts[0]);
        long n = Long.parseLong(parts[1]);
        return new long[] {size * (k - 1) / n, size * k / n};
    }

    static void read(List<String> paths, Path root, int threads, String kOfN) throws Exception {
        List<String> shuffled = new ArrayList<>(paths);
        Collections.shuffle(shuffled, new Random(3));
        long[] range = slice(kOfN, shuffled.size());
        List<String> order = shuffled.subList((int) range[0], (int) range[1]);
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicLong checksum = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                byte[] buf = new byte[256 * 1024];
                long local = 0;
                long sum = 0;
                for (int i = next.getAndIncrement(); i < order.size(); i = next.getAndIncrement()) {
                    try (InputStream in = Files.newInputStream(root.resolve(order.get(i)))) {
                        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                            local += n;
                            sum += n > 0 ? buf[n - 1] : 0;
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(order.get(i), e);
                    }
                }
                bytes.addAndGet(local);
                checksum.addAndGet(sum);
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("files_per_s=%.0f mb_per_s=%.1f seconds=%.3f bytes=%d files=%d check=%d%n", order.size() / s,
                bytes.get() / s / 1e6, s, bytes.get(), order.size(), checksum.get());
    }

    static void seq(Path file, String kOfN) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long start = System.nanoTime();
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] mib = slice(kOfN, (ch.size() + buf.capacity() - 1) / buf.capacity());
            long end = Math.min(ch.size(), mib[1] * buf.capacity());
            ch.position(mib[0] * buf.capacity());
            while (ch.position() < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - ch.position()));
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("mb_per_s=%.1f seconds=%.3f bytes=%d%n", total / s / 1e6, s, total);
    }
}
