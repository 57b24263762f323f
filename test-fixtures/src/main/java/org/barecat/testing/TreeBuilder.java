package org.barecat.testing;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Builds a tree of files and directories for a test: on disk ({@link #directory}), as a Barecat
 * archive written with plain SQL ({@link #archive}: not the library's writer, so the reader is tested
 * against archives made independently of it), or into any other {@link Sink}, such as a test's adapter
 * for the library's own writer.
 *
 * <pre>{@code
 * Path archive = TreeBuilder.archive(tmp.resolve("a.barecat"))
 *         .file("top.txt", "hello\n").mode(0100640).mtimeNs(1_700_000_000_000_000_000L)
 *         .dir("empty").mode(0700)
 *         .build();
 * }</pre>
 *
 * An entry reaches the sink when the next one is added or at {@link #close}, so {@link #mode},
 * {@link #owner} and {@link #mtimeNs} apply to the entry added last; parent directories are made as needed.
 */
public final class TreeBuilder implements AutoCloseable {
    /** An entry's metadata; a null field is left unset (the archive's row holds NULL). */
    public record Meta(Integer mode, Integer uid, Integer gid, Long mtimeNs) {
        public static final Meta NONE = new Meta(null, null, null, null);
    }

    /** Where the entries go, in the order added. */
    public interface Sink extends Closeable {
        void file(String path, byte[] data, Meta meta) throws IOException;

        void directory(String path, Meta meta) throws IOException;

        default void symlink(String path, String target) throws IOException {
            throw new UnsupportedOperationException(path + ": this sink takes no symbolic links");
        }
    }

    private enum Kind { FILE, DIRECTORY, SYMLINK }

    private final Sink sink;
    private final Path path;
    private Kind kind;
    private String pendingPath;
    private byte[] pendingData;
    private String pendingTarget;
    private Meta meta;

    private TreeBuilder(Sink sink, Path path) {
        this.sink = sink;
        this.path = path;
    }

    /** A new archive at {@code archive} (index there, shards beside it) whose shards have no size limit. */
    public static TreeBuilder archive(Path archive) throws IOException {
        return archive(archive, Long.MAX_VALUE);
    }

    /**
     * A new archive whose shards hold at most {@code shardSizeLimit} bytes, but for a file larger than
     * that, which gets a shard of its own.
     */
    public static TreeBuilder archive(Path archive, long shardSizeLimit) throws IOException {
        return new TreeBuilder(new ArchiveSink(archive, shardSizeLimit), archive);
    }

    /** Files, directories and symbolic links below {@code root}, which is made if need be. */
    public static TreeBuilder directory(Path root) throws IOException {
        return new TreeBuilder(new DirectorySink(root), root);
    }

    public static TreeBuilder into(Sink sink) {
        return new TreeBuilder(sink, null);
    }

    public TreeBuilder file(String path, byte[] data) throws IOException {
        return next(Kind.FILE, path, data, null);
    }

    public TreeBuilder file(String path, String text) throws IOException {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A directory, so that it exists even when empty or to give it metadata; "" is the root. */
    public TreeBuilder dir(String path) throws IOException {
        return next(Kind.DIRECTORY, path, null, null);
    }

    public TreeBuilder symlink(String path, String target) throws IOException {
        return next(Kind.SYMLINK, path, null, target);
    }

    /** The mode of the entry added last: permission bits, with or without the file type's. */
    public TreeBuilder mode(int mode) {
        meta = new Meta(mode, meta.uid(), meta.gid(), meta.mtimeNs());
        return this;
    }

    public TreeBuilder owner(int uid, int gid) {
        meta = new Meta(meta.mode(), uid, gid, meta.mtimeNs());
        return this;
    }

    public TreeBuilder mtimeNs(long mtimeNs) {
        meta = new Meta(meta.mode(), meta.uid(), meta.gid(), mtimeNs);
        return this;
    }

    /** Closes the builder and returns the archive or directory it built ({@code null} for a sink of the test's). */
    public Path build() throws IOException {
        close();
        return path;
    }

    private TreeBuilder next(Kind k, String path, byte[] data, String target) throws IOException {
        flush();
        kind = k;
        pendingPath = path;
        pendingData = data;
        pendingTarget = target;
        meta = Meta.NONE;
        return this;
    }

    private void flush() throws IOException {
        if (kind == null) {
            return;
        }
        switch (kind) {
            case FILE -> sink.file(pendingPath, pendingData, meta);
            case DIRECTORY -> sink.directory(pendingPath, meta);
            case SYMLINK -> sink.symlink(pendingPath, pendingTarget);
        }
        kind = null;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            sink.close();
        }
    }
}
