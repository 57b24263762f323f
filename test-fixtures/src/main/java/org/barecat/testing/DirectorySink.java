package org.barecat.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes entries below a root directory. Files get their metadata at once; directories' metadata is
 * set at {@link #close}, deepest first, as making their children would change their mtimes.
 */
final class DirectorySink implements TreeBuilder.Sink {
    private record Pending(Path path, TreeBuilder.Meta meta) {
    }

    private final Path root;
    private final List<Pending> directories = new ArrayList<>();

    DirectorySink(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    private Path resolve(String path) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        return p;
    }

    @Override
    public void file(String path, byte[] data, TreeBuilder.Meta meta) throws IOException {
        Path p = resolve(path);
        Files.write(p, data);
        apply(p, meta);
    }

    @Override
    public void directory(String path, TreeBuilder.Meta meta) throws IOException {
        Path p = path.isEmpty() ? root : Files.createDirectories(resolve(path));
        directories.add(new Pending(p, meta));
    }

    @Override
    public void symlink(String path, String target) throws IOException {
        Files.createSymbolicLink(resolve(path), Path.of(target));
    }

    private static void apply(Path p, TreeBuilder.Meta meta) throws IOException {
        if (meta.mode() != null) {
            Files.setAttribute(p, "unix:mode", meta.mode() & 07777);
        }
        if (meta.uid() != null) {
            Files.setAttribute(p, "unix:uid", meta.uid(), LinkOption.NOFOLLOW_LINKS);
        }
        if (meta.gid() != null) {
            Files.setAttribute(p, "unix:gid", meta.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        if (meta.mtimeNs() != null) {
            Files.setLastModifiedTime(p, FileTime.from(meta.mtimeNs(), TimeUnit.NANOSECONDS));
        }
    }

    @Override
    public void close() throws IOException {
        directories.sort(Comparator.comparingInt((Pending d) -> d.path().getNameCount()).reversed());
        for (Pending d : directories) {
            apply(d.path(), d.meta());
        }
    }
}
