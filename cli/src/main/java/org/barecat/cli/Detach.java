package org.barecat.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a mount daemon in the background: a second JVM in a new session runs the mount in the
 * foreground and prints a ready line once the mount is live. This process relays the daemon's
 * messages until then, so errors reach the user's terminal, and exits with 0 when the daemon is
 * ready, or with the daemon's own exit code when it gives up.
 */
final class Detach {
    private Detach() {
    }

    static int runDetached(Class<?> main, List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                    new File("/dev/null")));
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                builder.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            Process daemon = builder.start();
            Thread relay = logFile == null ? relay(daemon.getErrorStream()) : null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals(BarecatMount.READY)) {
                        return 0; // leaves the daemon running; its later output goes nowhere
                    }
                    System.out.println(line);
                }
            }
            int code = daemon.waitFor();
            if (relay != null) {
                relay.join(2000);
            }
            return code == 0 ? 1 : code;
        } catch (IOException e) {
            return Errors.fail("cannot start the mount daemon: " + e.getMessage(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Copies the daemon's stderr to ours until the daemon closes it or we exit. */
    private static Thread relay(InputStream err) {
        Thread t = new Thread(() -> {
            try {
                err.transferTo(System.err);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "daemon-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
