package org.barecat.tools.write;

import java.io.IOException;
import java.sql.SQLException;

/**
 * What {@link ArchiveWriter} and {@link ArchiveAppender} share of a sink's life: {@link #close()}
 * commits once, a commit that fails is rolled back before its failure is thrown, and {@link #abort()}
 * rolls back at any time (a signal handler may call it) until the commit has come too far to undo.
 */
abstract class CommittingSink implements ArchiveSink {
    private boolean finished;
    private boolean committed;

    /** Commits (see {@link #commit()}); a second call does nothing. On failure, rolls back and throws. */
    @Override
    public final synchronized void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            commit();
        } catch (SQLException e) {
            abort();
            throw failure(e);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Rolls back (see {@link #rollBack()}); does nothing once the commit has called {@link #committed()}. */
    @Override
    public final synchronized void abort() {
        if (committed) {
            return;
        }
        finished = true;
        rollBack();
    }

    /** Whether the sink was closed or aborted: no entry may be added any more. */
    final boolean finished() {
        return finished;
    }

    /** Called by {@link #commit()} once the archive shows what was added: from then on there is nothing to roll back. */
    final void committed() {
        committed = true;
    }

    /** Makes everything added part of the archive, calling {@link #committed()} at the point of no return. */
    abstract void commit() throws IOException, SQLException;

    /** Undoes everything this sink wrote. */
    abstract void rollBack();

    /** The exception to throw for a commit that failed in SQLite, naming the index. */
    abstract IOException failure(SQLException e);
}
