package org.barecat.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where sqlite-jdbc loads its native library from. Left to itself, it runs {@code uname} to learn
 * the platform, then copies the library out of its jar into a new file in /tmp on every start
 * (and leaves it there when the JVM is killed), a cost every mount would pay. Here the library
 * is copied once per version into the user's cache directory and loaded from there. When that cannot
 * be done (no home, read-only, a platform we do not name here) sqlite-jdbc does as it always does.
 * Every SQLite connection of the reader and of archive-tools is opened here.
 */
public final class SqliteLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteLibrary.class);
    private static final String NAME = "libsqlitejdbc.so";
    private static final Map<String, String> ARCH = Map.of("amd64", "x86_64", "x86_64", "x86_64",
            "aarch64", "aarch64", "arm64", "aarch64");

    static {
        useCachedCopy();
    }

    private SqliteLibrary() {
    }

    /** Opens an SQLite connection, sqlite-jdbc's library loaded as described above. */
    public static Connection connect(String url, Properties properties) throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    /** Points sqlite-jdbc at a cached copy of its library, unless the JVM was told where it is. */
    private static void useCachedCopy() {
        String arch = ARCH.get(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
        if (System.getProperty("org.sqlite.lib.path") != null || arch == null
                || !System.getProperty("os.name", "").startsWith("Linux") || isMusl()) {
            return;
        }
        String resource = "/org/sqlite/native/Linux/" + arch + "/" + NAME;
        try {
            Path dir = cacheDir().resolve("sqlite-jdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion() + "-" + arch);
            Path lib = dir.resolve(NAME);
            if (!Files.isRegularFile(lib)) {
                try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    Files.createDirectories(dir);
                    Path part = Files.createTempFile(dir, NAME, ".part");
                    try {
                        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE); // concurrent starts: one wins, both fine
                    } finally {
                        Files.deleteIfExists(part);
                    }
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", NAME);
        } catch (IOException | RuntimeException e) {
            log.debug("sqlite-jdbc's library not cached ({}); it extracts its own copy", e.toString());
        }
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "barecat");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "barecat");
    }

    /** musl systems (Alpine) take sqlite-jdbc's Linux-Musl build, which its own loader picks. */
    private static boolean isMusl() {
        return Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")) || Files.exists(Path.of("/lib/ld-musl-aarch64.so.1"));
    }
}
