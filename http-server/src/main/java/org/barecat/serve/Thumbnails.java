package org.barecat.serve;

import org.barecat.core.ArchiveView;
import org.barecat.core.FileEntry;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * Small JPEG previews of an archive's images (JPEG, PNG, GIF, BMP, as the JDK's ImageIO reads them),
 * made on a few worker threads of their own so that no request thread decodes, and kept in an LRU
 * cache bounded in bytes. Requests for the same image while it is being made share one job.
 */
final class Thumbnails implements AutoCloseable {
    /** The longest side of a thumbnail, in pixels. */
    static final int SIZE = 160;
    static final Set<String> SUFFIXES = Set.of("jpg", "jpeg", "png", "gif", "bmp");
    /** Larger files are not decoded for a thumbnail: their bytes would be held in memory. */
    private static final long MAX_SOURCE = 64L << 20;
    /** What an entry costs beyond its bytes (map node, key): an estimate, so that failures count too. */
    private static final int OVERHEAD = 128;

    /** Images with more pixels than this are not decoded, however small their file: a header can claim any size. */
    private static final long MAX_PIXELS = 200_000_000L;

    private final ArchiveView archive;
    private final boolean verify;
    private final long maxBytes;
    private final ThreadPoolExecutor workers;
    /** Path to thumbnail; an empty array: the file does not decode as an image. Access-ordered. */
    private final LinkedHashMap<String, byte[]> cache = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<String, CompletableFuture<Optional<byte[]>>> making = new HashMap<>();
    private long cachedBytes;

    /**
     * @param verify   check each image's CRC-32C before decoding it: a mismatch fails as a damaged shard does
     * @param threads  decoding threads
     * @param queue    jobs that may wait for a thread; beyond that a request is refused (503)
     * @param maxBytes the cache's bound
     */
    Thumbnails(ArchiveView archive, boolean verify, int threads, int queue, long maxBytes) {
        this(archive, verify, workers(threads, queue), maxBytes);
    }

    /** With the given pool (which this closes): a test holds its threads to see requests wait. */
    Thumbnails(ArchiveView archive, boolean verify, ThreadPoolExecutor workers, long maxBytes) {
        this.archive = archive;
        this.verify = verify;
        this.maxBytes = maxBytes;
        this.workers = workers;
    }

    static ThreadPoolExecutor workers(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "barecat-thumbnail-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        workers.allowCoreThreadTimeOut(true);
        return workers;
    }

    /** Whether {@code name} is one of the images thumbnails are made of, by its suffix. */
    static boolean isImage(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The thumbnail of {@code file} as JPEG bytes, or empty when it does not decode as an image;
     * completes on a worker thread unless it was cached. Fails with {@link RejectedExecutionException}
     * when too many are waiting, with an {@link IOException} when the file cannot be read.
     */
    CompletableFuture<Optional<byte[]>> get(FileEntry file) {
        CompletableFuture<Optional<byte[]>> job;
        synchronized (this) {
            byte[] hit = cache.get(file.path());
            if (hit != null) {
                return CompletableFuture.completedFuture(hit.length == 0 ? Optional.empty() : Optional.of(hit));
            }
            job = making.get(file.path());
            if (job != null) {
                return job;
            }
            job = new CompletableFuture<>();
            making.put(file.path(), job);
        }
        CompletableFuture<Optional<byte[]>> result = job;
        try {
            workers.execute(() -> make(file, result));
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                making.remove(file.path());
            }
            result.completeExceptionally(e);
        }
        return result;
    }

    private void make(FileEntry file, CompletableFuture<Optional<byte[]>> job) {
        byte[] thumbnail;
        try {
            thumbnail = file.size() > MAX_SOURCE ? new byte[0] : encode(decode(read(file)));
        } catch (IOException | RuntimeException | Error e) {
            // the shard, not the image (or out of memory): not cached, a later request tries again; a
            // request waits on this job, so it ends whatever happens
            synchronized (this) {
                making.remove(file.path());
            }
            job.completeExceptionally(e);
            return;
        }
        synchronized (this) {
            making.remove(file.path());
            cache.put(file.path(), thumbnail);
            cachedBytes += cost(file.path(), thumbnail);
            for (Iterator<Map.Entry<String, byte[]>> it = cache.entrySet().iterator(); cachedBytes > maxBytes && it.hasNext(); ) {
                Map.Entry<String, byte[]> eldest = it.next();
                cachedBytes -= cost(eldest.getKey(), eldest.getValue());
                it.remove();
            }
        }
        job.complete(thumbnail.length == 0 ? Optional.empty() : Optional.of(thumbnail));
    }

    private static long cost(String path, byte[] thumbnail) {
        return OVERHEAD + 2L * path.length() + thumbnail.length;
    }

    private byte[] read(FileEntry file) throws IOException {
        archive.checkLocation(file);
        ByteBuffer buffer = ByteBuffer.allocate((int) file.size());
        while (buffer.hasRemaining()) {
            if (archive.read(file, buffer.position(), buffer) <= 0) {
                throw new IOException(file.path() + ": the shard ended at byte " + buffer.position());
            }
        }
        if (verify && file.crc32c() != null) {
            CRC32C crc = new CRC32C();
            crc.update(buffer.array());
            if (crc.getValue() != file.crc32c()) {
                throw new IOException(file.path() + ": CRC-32C mismatch (the archive is damaged)");
            }
        }
        return buffer.array();
    }

    /**
     * The image, read at no more than about twice the thumbnail's size (subsampled while decoding, so
     * a large photo costs little), or null when the bytes are no image ImageIO can read.
     */
    private static BufferedImage decode(byte[] bytes) {
        // in memory: ImageIO.createImageInputStream would cache the stream in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    return null;
                }
                int longest = Math.max(width, height);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, longest / (2 * SIZE));
                param.setSourceSubsampling(step, step, 0, 0);
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) { // a damaged or hostile file: decoders throw all sorts
            return null;
        }
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            return new byte[0];
        }
        double scale = Math.min(1.0, (double) SIZE / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE); // JPEG has no transparency: transparent pixels show white
            g.fillRect(0, 0, w, h);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(small, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Bytes the cache holds now, as it counts them. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Whether the thumbnail of {@code path} is in the cache (without touching its place in the LRU order). */
    synchronized boolean isCached(String path) {
        return cache.containsKey(path);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
