package org.barecat.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a clean-up when the user stops the program (Ctrl-C, SIGTERM, SIGHUP) before the work is
 * committed, so an interrupted command leaves no half-written output behind. The signal is
 * handled as it arrives, before a pipe that closed with it (e.g. {@code find | barecat create -T -})
 * could let the work end and commit a partial result; the work checks {@link #stopping()} before
 * committing. The clean-up must be safe to run while the work goes on in another thread, and a
 * no-op once the work is committed. Other ways the JVM stops run the clean-up from a shutdown hook.
 */
final class AbortOnExit implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final Thread hook;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    AbortOnExit(Runnable cleanUp) {
        this.hook = new Thread(cleanUp, "barecat-abort");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                previous.add(Signal.handle(signal, s -> {
                    stopping.set(true);
                    cleanUp.run();
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }));
                signals.add(signal);
            } catch (IllegalArgumentException unavailable) {
                // a signal the JVM keeps for itself (e.g. with -Xrs): the shutdown hook still cleans up
            }
        }
    }

    /** Whether a stop signal has arrived: the work must not commit. */
    boolean stopping() {
        return stopping.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run; it does nothing once the work is committed
        }
    }
}
