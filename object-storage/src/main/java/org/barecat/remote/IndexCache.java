package org.barecat.remote;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Local copies of remote indexes, one per URL and version ({@code DIR/URLHASH-VERSIONHASH.barecat}):
 * a copy is used while the object's ETag and size are those it was fetched at, and fetched anew
 * (replacing the old one) when they changed. A copy is downloaded under a temporary name, checked with
 * SQLite's {@code quick_check}, and renamed into place, so no mount ever opens a partial or damaged one.
 * The download is ranged GETs of {@link #PART_SIZE} bytes, {@link #PARALLEL} at once: one connection's
 * throughput is often capped well below what the client and the server can move.
 */
final class IndexCache {
    private static final Logger log = LoggerFactory.getLogger(IndexCache.class);
    static final int PART_SIZE = 4 << 20;
    static final int PARALLEL = 8;

    private IndexCache() {
    }

    /** The local copy of index {@code key}, version {@code object}: the one in {@code dir}, else fetched. */
    static Path copy(ObjectStore store, String key, ObjectInfo object, Path dir, DownloadProgress progress)
            throws IOException {
        Files.createDirectories(dir);
        String url = store.url(key);
        String stem = hash(url);
        Path file = dir.resolve(stem + "-" + hash(object.version() + "\n" + object.size()) + ".barecat");
        if (Files.isRegularFile(file) && Files.size(file) == object.size()) {
            log.debug("{}: index from the cache ({})", url, file);
            return file;
        }
        Path temporary = dir.resolve(file.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            log.debug("{}: fetching the index ({} bytes) into {}", url, object.size(), file);
            progress.started(url, object.size());
            download(store, key, object, temporary, progress);
            try {
                Archive.checkIndex(temporary);
            } catch (ArchiveFormatException e) {
                throw new IOException(url + ": " + e.getMessage().substring(temporary.toString().length() + 2), e);
            }
            // entries without a time of their own show the index's: the remote object's, not the download's
            Files.setLastModifiedTime(temporary, FileTime.from(object.lastModified()));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        removeOtherVersions(dir, stem, file);
        return file;
    }

    /**
     * Version {@code object} of {@code key} into the new file {@code to}, by ranged GETs of its parts,
     * several at once, each written where it belongs as it arrives.
     */
    private static void download(ObjectStore store, String key, ObjectInfo object, Path to, DownloadProgress progress)
            throws IOException {
        long size = object.size();
        int parts = (int) ((size + PART_SIZE - 1) / PART_SIZE);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, parts)), r -> {
            Thread t = new Thread(r, "barecat-index-download");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            List<Future<Void>> pending = new ArrayList<>();
            for (long start = 0; start < size; start += PART_SIZE) {
                long from = start;
                int length = (int) Math.min(PART_SIZE, size - start);
                pending.add(pool.submit(() -> {
                    ByteBuffer bytes = ByteBuffer.wrap(store.read(key, object, from, length));
                    for (long at = from; bytes.hasRemaining(); ) {
                        at += out.write(bytes, at);
                    }
                    progress.advanced(length);
                    return null;
                }));
            }
            for (Future<Void> part : pending) {
                part.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(store.url(key) + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(store.url(key) + ": interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Copies of other versions of the same URL's index: a mount still using one keeps it open. */
    private static void removeOtherVersions(Path dir, String stem, Path current) throws IOException {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, stem + "-*.barecat")) {
            for (Path copy : copies) {
                if (!copy.equals(current)) {
                    Files.deleteIfExists(copy);
                }
            }
        }
    }

    /** A short, file-name-safe digest of {@code text}. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
