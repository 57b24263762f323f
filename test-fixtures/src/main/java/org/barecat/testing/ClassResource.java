package org.barecat.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a test class makes once, before its tests, in a temporary directory of its own: an archive
 * built and opened, a server started. After the class's last test it is closed (when it is
 * {@link AutoCloseable}) and the directory removed, also when making it failed half-way.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClassResource<Archive> archive = new ClassResource<>(dir -> Archive.open(build(dir)));
 * ...
 * archive.get().lookup("a/b.jpg");
 * }</pre>
 *
 * An assumption that fails while making it skips the class.
 */
public final class ClassResource<T> implements BeforeAllCallback, AfterAllCallback {
    /** Makes the resource in {@code dir}, an empty directory that lives as long as the resource. */
    @FunctionalInterface
    public interface Maker<T> {
        T make(Path dir) throws Exception;
    }

    private final Maker<T> maker;
    private Path dir;
    private T value;

    public ClassResource(Maker<T> maker) {
        this.maker = maker;
    }

    /** The resource, made before the class's first test. */
    public T get() {
        if (value == null) {
            throw new IllegalStateException("not made: register this as a static @RegisterExtension field");
        }
        return value;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("barecat-test-");
        value = maker.make(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (value instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } finally {
            value = null;
            if (dir != null) {
                deleteTree(dir);
                dir = null;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
