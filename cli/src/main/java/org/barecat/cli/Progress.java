package org.barecat.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.barecat.remote.DownloadProgress;
import org.barecat.tools.ProgressListener;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports long work: a progress bar on stderr (bytes, files, rate) when a person is watching a
 * terminal and {@code -q} was not given; one stderr line per skipped entry or problem always.
 * Counts what it was told, for the closing summary and the exit code.
 */
final class Progress implements ProgressListener, AutoCloseable {
    private final String task;
    private final boolean show;
    private final PrintStream err = System.err;
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong problems = new AtomicLong();
    private ProgressBar bar;
    private long lastFilesShown = -1;

    /**
     * @param quiet the user asked for no progress display ({@code -q})
     */
    Progress(String task, boolean quiet) {
        this.task = task;
        this.show = !quiet && System.console() != null;
    }

    private synchronized ProgressBar bar(long maxBytes) {
        if (bar == null && show) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(maxBytes < 0 ? -1 : Math.max(1, maxBytes))
                    .setUnit(" MiB", 1 << 20)
                    .showSpeed()
                    .setUpdateIntervalMillis(250)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .build();
        }
        return bar;
    }

    @Override
    public void total(long fileCount, long bytes) {
        ProgressBar b = bar(bytes);
        if (b != null && bytes >= 0) {
            b.maxHint(Math.max(1, bytes));
        }
    }

    @Override
    public void done(String path, long bytes) {
        long n = files.incrementAndGet();
        ProgressBar b = show ? bar(-1) : null;
        if (b != null) {
            b.stepBy(bytes);
            if (n - lastFilesShown >= 64 || bytes > (1 << 20)) {
                lastFilesShown = n;
                b.setExtraMessage(n + " files");
            }
        }
    }

    /** As a download's listener: a bar of the bytes fetched, no file count. */
    DownloadProgress download() {
        return new DownloadProgress() {
            @Override
            public void started(String url, long bytes) {
                bar(bytes);
            }

            @Override
            public void advanced(long bytes) {
                ProgressBar b = show ? bar(-1) : null;
                if (b != null) {
                    b.stepBy(bytes);
                }
            }
        };
    }

    @Override
    public void skipped(String path, String reason) {
        skipped.incrementAndGet();
        note(path, "skipped: " + reason);
    }

    @Override
    public void note(String path, String message) {
        line(path + ": " + message);
    }

    @Override
    public void problem(String path, String message) {
        problems.incrementAndGet();
        note(path, message);
    }

    @Override
    public void undecodableName(String name, String encoding) {
        problem(name, "name is not valid " + encoding + "; not stored"
                + (encoding.equals("UTF-8") ? " (see --encoding)" : ""));
    }

    private synchronized void line(String message) {
        if (bar != null) {
            err.print("\r\033[K");
        }
        Errors.fail(message, 1);
    }

    long skipped() {
        return skipped.get();
    }

    long problems() {
        return problems.get();
    }

    /** Says how many entries were skipped, if any (a warning, not a failure). */
    void reportSkipped(String what) {
        if (skipped.get() > 0) {
            Errors.fail(skipped.get() + " " + (skipped.get() == 1 ? "entry" : "entries") + " skipped (" + what
                    + "; see the lines above)", 0);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            if (files.get() > 0) {
                bar.setExtraMessage(files.get() + " files");
            }
            bar.close();
            bar = null;
        }
    }
}
