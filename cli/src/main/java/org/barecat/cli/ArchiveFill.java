package org.barecat.cli;

import org.barecat.tools.Totals;
import org.barecat.tools.write.ArchiveSink;

import java.io.IOException;

/**
 * How create, add and convert fill an archive they have opened: commit it at the end, or abort it on
 * a failure or when the user stops the program first, so that no half-written archive is left.
 */
final class ArchiveFill {
    private ArchiveFill() {
    }

    /** The work that puts the entries into the archive. */
    interface Work {
        Totals fill(Progress progress) throws IOException;
    }

    /** The exit code, after its message, for a failure that aborted the archive. */
    interface Failure {
        int report(Exception e);
    }

    /**
     * Runs {@code work} on {@code sink} and commits it; then reports what was skipped (as
     * {@code skippedWhat}) and returns 1 when any entry had a problem, else 0.
     */
    static int fill(ArchiveSink sink, Progress progress, Work work, Failure failure, String skippedWhat) {
        try (AbortOnExit guard = new AbortOnExit(sink::abort); progress) {
            Totals result;
            try {
                result = work.fill(progress);
                if (guard.stopping()) {
                    sink.abort();
                    return 1;
                }
                sink.close();
            } catch (IOException | RuntimeException e) {
                sink.abort();
                progress.close();
                return failure.report(e);
            }
            progress.close();
            progress.reportSkipped(skippedWhat);
            return result.problems() > 0 || progress.problems() > 0 ? 1 : 0;
        }
    }
}
