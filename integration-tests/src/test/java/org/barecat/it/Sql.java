package org.barecat.it;

import java.nio.file.Path;

/**
 * Edits and queries an archive's index with Python's standard sqlite3 module: hostile indexes are
 * made this way, bypassing our writer and its checks.
 */
final class Sql {
    private Sql() {
    }

    /** Runs an SQL script on the index, with the statistics triggers off so nothing stops or follows an edit. */
    static void exec(Path index, String script) {
        Programs.run("python3", "-c", "import sqlite3, sys\n"
                + "c = sqlite3.connect(sys.argv[1])\n"
                + "c.execute(\"UPDATE config SET value_int = 0 WHERE key = 'use_triggers'\")\n"
                + "c.executescript(sys.argv[2])\n"
                + "c.commit()\n", index.toString(), script).ok();
    }

    /** The rows of a query, one a line, columns separated by a space. */
    static String query(Path index, String sql) {
        return Programs.run("python3", "-c", "import sqlite3, sys\n"
                + "for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):\n"
                + "    print(*row)\n", index.toString(), sql).ok().out();
    }
}
