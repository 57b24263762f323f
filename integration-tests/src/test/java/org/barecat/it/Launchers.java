package org.barecat.it;

import org.barecat.testing.MountExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The project's own launchers, bin/barecat and bin/barecat-mount, as a user runs them. */
final class Launchers {
    static final Path HOME = Path.of(System.getProperty("barecat.home", "..")).toAbsolutePath().normalize();

    private Launchers() {
    }

    static Path bin(String name) {
        Path jar = HOME.resolve("cli/target/barecat.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify' from the root");
        }
        return HOME.resolve("bin").resolve(name);
    }

    static Programs.Result barecat(String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin("barecat").toString());
        command.addAll(List.of(args));
        return Programs.run(null, Map.of(), command);
    }

    /** Packs the whole of {@code source} into a new archive at {@code archive} with barecat create and {@code options}. */
    static Path create(Path source, Path archive, String... options) {
        List<String> args = new ArrayList<>(List.of("create"));
        args.addAll(List.of(options));
        args.addAll(List.of("-C", source.toString(), archive.toString(), "."));
        barecat(args.toArray(String[]::new)).ok();
        return archive;
    }

    /**
     * Runs barecat-mount on {@code archive} and {@code mountPoint} expecting it to refuse: exit 1, exactly
     * one line on stderr, nothing mounted. Returns that line.
     */
    static String refusedMount(Path archive, Path mountPoint) {
        Programs.Result r = mountCommand(Map.of(), archive.toString(), mountPoint.toString());
        assertEquals(1, r.exit(), r.stderr());
        List<String> lines = r.stderr().lines().collect(Collectors.toList());
        assertEquals(1, lines.size(), "exactly one line: " + r.stderr());
        assertFalse(MountExtension.isMounted(mountPoint));
        return lines.get(0);
    }

    /** Runs barecat-mount with these arguments and returns when it returns (mount ready or failed). */
    static Programs.Result mountCommand(Map<String, String> env, String... args) {
        return run("barecat-mount", env, args);
    }

    /** Runs the launcher bin/{@code name} with these arguments and returns when it returns. */
    static Programs.Result run(String name, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin(name).toString());
        command.addAll(List.of(args));
        return Programs.run(null, env, command);
    }
}
