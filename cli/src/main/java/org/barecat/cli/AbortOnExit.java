package org.barecat.cli;

/**
 * Runs a clean-up if the JVM is stopped (Ctrl-C, SIGTERM, SIGHUP) before the work finishes, so an
 * interrupted command leaves no half-written output behind. The clean-up must be safe to run
 * while the work is still going on in another thread, and a no-op once the work is committed.
 */
final class AbortOnExit implements AutoCloseable {
    private final Thread hook;

    AbortOnExit(Runnable cleanUp) {
        this.hook = new Thread(cleanUp, "barecat-abort");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run; it does nothing once the work is committed
        }
    }
}
