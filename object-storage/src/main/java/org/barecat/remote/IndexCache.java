package org.barecat.remote;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Local copies of remote indexes, one per URL and version ({@code DIR/URLHASH-VERSIONHASH.barecat}):
 * a copy is used while the object's ETag and size are those it was fetched at, and fetched anew
 * (replacing the old one) when they changed. A copy is downloaded under a temporary name, checked with
 * SQLite's {@code quick_check}, and renamed into place, so no mount ever opens a partial or damaged one.
 */
final class IndexCache {
    private static final Logger log = LoggerFactory.getLogger(IndexCache.class);

    private IndexCache() {
    }

    /** The local copy of index {@code key}, version {@code object}: the one in {@code dir}, else fetched. */
    static Path copy(ObjectStore store, String key, ObjectInfo object, Path dir) throws IOException {
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
            store.download(key, object, temporary);
            if (Files.size(temporary) != object.size()) {
                throw new IOException(url + ": the server sent " + Files.size(temporary) + " of " + object.size() + " bytes");
            }
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
