package org.barecat.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The launcher's class-data archives in a cache directory, as the tests of mounts that make them see them. */
final class ClassDataArchives {
    private ClassDataArchives() {
    }

    /** Waits for an archive other than {@code others} to appear in {@code dir}, and for its lock to go; its name. */
    static String await(Path dir, Set<String> others) throws Exception {
        for (int i = 0; i < 600; i++) {
            List<String> made = listing(dir).stream().filter(n -> n.endsWith(".jsa") && !others.contains(n)).toList();
            if (!made.isEmpty()) {
                awaitNoLock(dir);
                return made.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no class-data archive in " + dir + ": " + listing(dir));
    }

    /** Waits for the lock of an archive being made to go: the archive is moved in, and others removed, before. */
    static void awaitNoLock(Path dir) throws Exception {
        for (int i = 0; i < 100 && listing(dir).stream().anyMatch(n -> n.endsWith(".lock")); i++) {
            Thread.sleep(100);
        }
    }

    static List<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Whether archive {@code jsa}, as this test JVM reads it, holds class {@code name}. */
    static boolean holds(Path jsa, String name) throws IOException {
        String classes = Programs.run(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:SharedArchiveFile=" + jsa, "-XX:+PrintSharedArchiveAndExit",
                "-cp", Launchers.HOME.resolve("cli/target/barecat.jar").toString()).ok().out();
        return classes.contains(" " + name + " ");
    }

    /** Whether process {@code pid} maps archive {@code name}. */
    static boolean mapped(long pid, String name) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/maps")).contains(name);
    }
}
