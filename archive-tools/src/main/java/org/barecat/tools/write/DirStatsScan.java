package org.barecat.tools.write;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes every directory's file statistics from the {@code files} table in one pass over it in
 * path order, in memory bounded by the depth of the tree: a directory's subtree is one contiguous
 * run of paths, so its totals are final as soon as the run ends. Directories are reported deepest
 * first (children before their parent); only directories with at least one file below them are
 * reported. A directory is each file's {@code parent} as the index computes it, and that parent's
 * parent and so on up to the root.
 */
public final class DirStatsScan {
    private static final int PAGE = 4096;

    /** Statistics of one directory as the files say they are. */
    public record Computed(String path, long numFiles, long numFilesTree, long sizeTree) {
    }

    /** What is done with each directory's statistics. */
    @FunctionalInterface
    public interface Consumer {
        void accept(Computed dir) throws SQLException, IOException;
    }

    /** A directory whose run of files is still going on. */
    private static final class Open {
        final String path;
        long numFiles;
        long numFilesTree;
        long sizeTree;

        Open(String path) {
            this.path = path;
        }
    }

    private DirStatsScan() {
    }

    /** {@code parent} of a path the way the index's generated column computes it. */
    static String sqlParent(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) != '/') {
            end--;
        }
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** Hands every directory's statistics to {@code consumer}, deepest first, in one pass over the files. */
    public static void run(Connection c, Consumer consumer) throws SQLException, IOException {
        List<Open> stack = new ArrayList<>();
        stack.add(new Open(""));
        List<String> chain = new ArrayList<>();
        String last = null;
        try (PreparedStatement first = c.prepareStatement(
                "SELECT path, size FROM files WHERE path >= '' ORDER BY path LIMIT " + PAGE);
             PreparedStatement more = c.prepareStatement(
                     "SELECT path, size FROM files WHERE path > ? ORDER BY path LIMIT " + PAGE)) {
            while (true) {
                PreparedStatement q = last == null ? first : more;
                if (last != null) {
                    more.setString(1, last);
                }
                List<String> paths = new ArrayList<>(PAGE);
                List<Long> sizes = new ArrayList<>(PAGE);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        paths.add(rs.getString(1));
                        sizes.add(rs.getLong(2));
                    }
                }
                for (int i = 0; i < paths.size(); i++) {
                    String path = paths.get(i);
                    chain.clear();
                    for (String d = sqlParent(path); !d.isEmpty(); d = sqlParent(d)) {
                        chain.add(d);
                    }
                    // chain: deepest first; the stack holds root first, so compare from the root down
                    int keep = 1;
                    while (keep < stack.size() && keep <= chain.size()
                            && stack.get(keep).path.equals(chain.get(chain.size() - keep))) {
                        keep++;
                    }
                    while (stack.size() > keep) {
                        emit(stack.remove(stack.size() - 1), consumer);
                    }
                    for (int k = chain.size() - stack.size(); k >= 0; k--) {
                        stack.add(new Open(chain.get(k)));
                    }
                    long size = sizes.get(i);
                    stack.get(stack.size() - 1).numFiles++;
                    for (Open o : stack) {
                        o.numFilesTree++;
                        o.sizeTree += size;
                    }
                }
                if (paths.size() < PAGE) {
                    break;
                }
                last = paths.get(paths.size() - 1);
            }
        }
        while (!stack.isEmpty()) {
            emit(stack.remove(stack.size() - 1), consumer);
        }
    }

    private static void emit(Open o, Consumer consumer) throws SQLException, IOException {
        consumer.accept(new Computed(o.path, o.numFiles, o.numFilesTree, o.sizeTree));
    }

    /**
     * Rewrites every {@code dirs} row's statistics from the files, adding the rows of directories
     * that have none (each file's ancestors, each directory's ancestors). For an index whose
     * triggers are off or absent; runs inside the caller's transaction.
     */
    static void rebuild(Connection c) throws SQLException, IOException {
        try (var s = c.createStatement()) {
            s.execute("UPDATE dirs SET num_files = 0, num_files_tree = 0, size_tree = 0");
        }
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO dirs (path, num_files, num_files_tree,"
                + " size_tree) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET num_files = excluded.num_files,"
                + " num_files_tree = excluded.num_files_tree, size_tree = excluded.size_tree")) {
            run(c, d -> {
                upsert.setString(1, d.path());
                upsert.setLong(2, d.numFiles());
                upsert.setLong(3, d.numFilesTree());
                upsert.setLong(4, d.sizeTree());
                upsert.executeUpdate();
            });
        }
        addMissingAncestorsOfDirs(c);
        try (var s = c.createStatement()) {
            s.execute("UPDATE dirs SET num_subdirs = (SELECT count(*) FROM dirs AS sub WHERE sub.parent = dirs.path)");
        }
    }

    private static void addMissingAncestorsOfDirs(Connection c) throws SQLException {
        try (PreparedStatement page = c.prepareStatement(
                "SELECT path FROM dirs WHERE path > ? ORDER BY path LIMIT " + PAGE);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM dirs WHERE path = ?");
             PreparedStatement insert = c.prepareStatement("INSERT OR IGNORE INTO dirs (path) VALUES (?)")) {
            String last = "";
            while (true) {
                List<String> paths = new ArrayList<>(PAGE);
                page.setString(1, last);
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        paths.add(rs.getString(1));
                    }
                }
                for (String p : paths) {
                    for (String d = sqlParent(p); ; d = sqlParent(d)) {
                        exists.setString(1, d);
                        boolean present;
                        try (ResultSet rs = exists.executeQuery()) {
                            present = rs.next();
                        }
                        if (present) {
                            break;
                        }
                        insert.setString(1, d);
                        insert.executeUpdate();
                        if (d.isEmpty()) {
                            break;
                        }
                    }
                }
                if (paths.size() < PAGE) {
                    return;
                }
                last = paths.get(paths.size() - 1);
            }
        }
    }
}
