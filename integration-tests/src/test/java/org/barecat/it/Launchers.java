package org.barecat.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** Runs barecat-mount with these arguments and returns when it returns (mount ready or failed). */
    static Programs.Result mountCommand(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin("barecat-mount").toString());
        command.addAll(List.of(args));
        return Programs.run(null, env, command);
    }
}
