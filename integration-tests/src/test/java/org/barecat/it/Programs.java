package org.barecat.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real programs and captures what they print. */
final class Programs {
    private static final long TIMEOUT_SECONDS = 600;

    private Programs() {
    }

    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        Result ok() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ": " + stderr + "\nstdout: " + out());
            }
            return this;
        }
    }

    static Result run(Path cwd, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Result run(String... command) {
        return run(null, Map.of(), List.of(command));
    }

    /**
     * Runs a Python script from the test resources with Debian's python (the one with the packages
     * install-deps.sh installs: torch, torchvision, PIL), whatever python3 comes first on PATH. Math
     * libraries get one thread each, as DataLoader workers should (see the README).
     */
    static Result python(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3",
                Launchers.HOME.resolve("integration-tests/src/test/resources").resolve(script).toString()));
        command.addAll(List.of(args));
        return run(null, Map.of("OMP_NUM_THREADS", "1", "MKL_NUM_THREADS", "1", "PYTHONDONTWRITEBYTECODE", "1"), command);
    }

    /** Runs a bash script in {@code cwd}; {@code args} become $1, $2, ... */
    static Result sh(Path cwd, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "-euo", "pipefail", "-c", script, "sh"));
        command.addAll(List.of(args));
        return run(cwd, Map.of(), command);
    }
}
