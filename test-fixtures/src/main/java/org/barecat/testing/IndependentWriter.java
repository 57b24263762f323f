package org.barecat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code independent_writer.py}: a Barecat writer written from FORMAT.md with Python's standard
 * library only, so archives made by another program than this project reach the tests. Its usage
 * is in the script's docstring.
 */
public final class IndependentWriter {
    private static final String SCRIPT = "independent_writer.py";
    private static Path script;

    private IndependentWriter() {
    }

    /**
     * The script on disk, with the schema files it reads beside it: copied out of the class path
     * once per JVM, as the class path may be a jar.
     */
    public static synchronized Path script() {
        if (script == null) {
            try {
                Path dir = Files.createTempDirectory("barecat-independent-writer-");
                for (String name : List.of(SCRIPT, "schema-0.2.sql", "schema-0.3.sql")) {
                    Path p = dir.resolve(name);
                    Files.writeString(p, Schemas.resource(name), StandardCharsets.UTF_8);
                    p.toFile().deleteOnExit();
                }
                dir.toFile().deleteOnExit();
                script = dir.resolve(SCRIPT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return script;
    }

    /** Runs the script with {@code args}; returns what it printed, failing the test when it exits non-zero. */
    public static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", script().toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + code + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command), e);
        }
    }
}
