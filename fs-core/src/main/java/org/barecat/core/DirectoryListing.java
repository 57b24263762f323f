package org.barecat.core;

import org.barecat.core.ArchiveIndex.Table;
import org.barecat.core.internal.IndexRows;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The children of one directory, streamed in pages of bounded size so that a directory with
 * millions of entries lists in constant memory. Children come in three runs:
 * <ol>
 *   <li>subdirectories that have a {@code dirs} row,</li>
 *   <li>files ({@code files} rows whose parent is this directory),</li>
 *   <li>subdirectories that have no {@code dirs} row and exist only as ancestors of other rows.</li>
 * </ol>
 * Each page is one index search that resumes after the last key seen, so no cursor stays open
 * between pages. Entries whose name cannot be shown by a POSIX file system ({@code ..}, empty,
 * over 255 bytes) are skipped, and so is a {@code dirs} row whose path is also a file's: the file wins,
 * as it does in {@link Archive#lookup}. Not thread-safe: one listing, one reader.
 *
 * @param <T> what each child comes as: a whole {@link Entry} ({@link Archive#list}), or only its
 *            name and kind, a {@link Child} ({@link Archive#listChildren}), which reads two columns
 *            of each row instead of ten
 */
public final class DirectoryListing<T> implements Listing<T> {
    static final int PAGE_SIZE = 512;

    private enum Run { DIRS, FILES, IMPLICIT_DIRS, DONE }

    /** How a listing turns rows into children of type {@code T}. */
    interface Rows<T> {
        /** The columns selected after the page key, for {@code table}. */
        String columns(Table table);

        /**
         * The child from the current row, whose first selected column (after the key) is {@code first};
         * {@code utf8}: see {@link IndexRows#readPath}; {@code row}: the key when it is a rowid, else
         * {@link FileEntry#NO_ROW}.
         */
        T read(ResultSet rs, int first, Table table, boolean utf8, long row) throws SQLException;

        /** A child directory that has no {@code dirs} row. */
        T implicitDirectory(String path);

        /** Whether {@code child} (read from a row whose parent is the directory) can be shown. */
        boolean isShowable(DirectoryListing<T> listing, T child);

        /** The path of {@code child}, read from a row whose path was not NULL. */
        String path(T child);
    }

    /** Whole rows, as {@link Entry} values. */
    static final Rows<Entry> ENTRIES = new Rows<>() {
        @Override
        public String columns(Table table) {
            return table.columns;
        }

        @Override
        public Entry read(ResultSet rs, int first, Table table, boolean utf8, long row) throws SQLException {
            return ArchiveIndex.readEntry(rs, first, table, utf8, row);
        }

        @Override
        public Entry implicitDirectory(String path) {
            return DirEntry.implicit(path);
        }

        @Override
        public boolean isShowable(DirectoryListing<Entry> listing, Entry child) {
            return listing.isShowable(child.path());
        }

        @Override
        public String path(Entry child) {
            return child.path();
        }
    };

    /** Paths and kinds only. */
    static final Rows<Child> CHILDREN = new Rows<>() {
        @Override
        public String columns(Table table) {
            return "path";
        }

        @Override
        public Child read(ResultSet rs, int first, Table table, boolean utf8, long row) throws SQLException {
            boolean dir = table == Table.DIRS;
            if (utf8) {
                byte[] bytes = rs.getBytes(first);
                return bytes == null ? null : Child.ofUtf8(bytes, dir);
            }
            String path = rs.getString(first);
            return path == null ? null : Child.of(path, dir);
        }

        @Override
        public Child implicitDirectory(String path) {
            return Child.of(path, true);
        }

        @Override
        public boolean isShowable(DirectoryListing<Child> listing, Child child) {
            return child != null && listing.isShowable(child.utf8Path());
        }

        @Override
        public String path(Child child) {
            return child.path();
        }
    };

    private final ArchiveIndex index;
    private final Rows<T> rows;
    private final String dir;
    private final String prefix;
    private final byte[] prefixUtf8;
    private final String upperBound;
    private final boolean directoriesOnly;
    private final ArrayDeque<T> page = new ArrayDeque<>();
    private Run run = Run.DIRS;
    /** Last key seen in the current run: a rowid (Long) or path (String); null before the first page. */
    private Object lastKey;
    /** Whether the files run goes by the index on paths (see {@link #mostlyChildren}); null until it starts. */
    private Boolean filesByPath;
    /** For the implicit run: where the next search for a parent value starts, and whether inclusive. */
    private String scanFrom;
    private boolean scanInclusive;

    /** A listing of {@code dir}'s subdirectories only, when {@code directoriesOnly}: its files are never read. */
    DirectoryListing(ArchiveIndex index, Rows<T> rows, String dir, boolean directoriesOnly) {
        this.index = index;
        this.rows = rows;
        this.directoriesOnly = directoriesOnly;
        this.dir = dir;
        this.prefix = IndexRows.descendantPrefix(dir);
        this.prefixUtf8 = prefix.getBytes(StandardCharsets.UTF_8);
        this.upperBound = IndexRows.descendantUpperBound(dir);
        this.scanFrom = prefix;
    }

    /** The directory being listed. */
    @Override
    public String directory() {
        return dir;
    }

    /**
     * Moves this listing, before anything has been read from it, to just after its child named
     * {@code name}, as if every child up to that one had been taken: a few lookups in the index
     * instead of reading the children before it, so that a client paging through a large directory
     * resumes after the last name it got.
     *
     * @return false (and the listing unchanged) when the directory has no child of that name in this listing
     * @throws IllegalStateException when something was already read from the listing
     */
    @Override
    public boolean skipPast(String name) throws IOException {
        if (run != Run.DIRS || lastKey != null || filesByPath != null || !page.isEmpty()) {
            throw new IllegalStateException("a listing is moved before it is read");
        }
        if (!ArchivePaths.isValidName(name)) {
            return false;
        }
        String path = prefix + name;
        // the run the child comes in, found as the runs find it: a file wins over a dirs row of its path
        Run at = index.query(c -> hasRow(c, Table.FILES, path) ? (directoriesOnly ? Run.DONE : Run.FILES)
                : hasRow(c, Table.DIRS, path) ? Run.DIRS
                : isParentValue(c, path) || hasParentBelow(c, path) ? Run.IMPLICIT_DIRS : Run.DONE);
        if (at == Run.DONE) {
            return false;
        }
        if (at == Run.IMPLICIT_DIRS) {
            // the scan's state right after it first saw the name: at the parent value itself if there is
            // one (it sorts first), else past every parent value below it
            boolean direct = index.query(c -> isParentValue(c, path));
            scanFrom = direct ? path : path + "0";
            scanInclusive = !direct;
        } else {
            Table table = at == Run.FILES ? Table.FILES : Table.DIRS;
            if (at == Run.FILES) {
                filesByPath = index.filesPathIndexed() && mostlyChildren();
            }
            if (at == Run.FILES && filesByPath) {
                lastKey = path;
            } else {
                String key = index.pageKey(table);
                lastKey = index.query(c -> {
                    PreparedStatement s = c.prepare("SELECT " + key + " FROM " + table.name + " WHERE path = ?");
                    s.setString(1, path);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return key.equals("rowid") ? (Object) rs.getLong(1) : rs.getString(1);
                    }
                });
            }
        }
        run = at;
        return true;
    }

    /** Next entry without consuming it, or {@code null} at the end. */
    @Override
    public T peek() throws IOException {
        return fill() ? page.peek() : null;
    }

    /** Like {@link #next()} but with the checked exception of the index. */
    @Override
    public T take() throws IOException {
        return fill() ? page.poll() : null;
    }

    private boolean fill() throws IOException {
        while (page.isEmpty() && run != Run.DONE) {
            switch (run) {
                case DIRS -> nextRowPage(Table.DIRS, directoriesOnly ? Run.IMPLICIT_DIRS : Run.FILES);
                case FILES -> nextRowPage(Table.FILES, Run.IMPLICIT_DIRS);
                case IMPLICIT_DIRS -> nextImplicitPage();
                default -> throw new IllegalStateException();
            }
        }
        return !page.isEmpty();
    }

    private void nextRowPage(Table table, Run following) throws IOException {
        if (table == Table.FILES && filesByPath == null) {
            filesByPath = index.filesPathIndexed() && mostlyChildren();
        }
        boolean byPath = table == Table.FILES && filesByPath;
        String key = index.pageKey(table);
        // by path: text only, the type the paging key is bound as (a blob sorts after all text, and would come back)
        String where = byPath ? "path > ?" + (upperBound == null ? "" : " AND path < ?") + " AND typeof(path) = 'text'"
                : "parent = ?" + (lastKey == null ? "" : " AND " + key + " > ?");
        String sql = "SELECT " + key + ", " + rows.columns(table) + " FROM " + table.name + " WHERE " + where
                + (table == Table.DIRS ? " AND NOT EXISTS (SELECT 1 FROM files WHERE files.path = dirs.path)" : "")
                + " ORDER BY " + (byPath ? "path" : key) + " LIMIT " + PAGE_SIZE;
        boolean rowidKey = key.equals("rowid");
        boolean utf8 = index.utf8();
        int read = index.query(c -> {
            PreparedStatement s = c.prepare(sql);
            if (byPath) {
                s.setObject(1, lastKey == null ? prefix : lastKey);
                if (upperBound != null) {
                    s.setString(2, upperBound);
                }
            } else {
                s.setString(1, dir);
                if (lastKey != null) {
                    s.setObject(2, lastKey);
                }
            }
            int n = 0;
            T last = null;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    n++;
                    long row = rowidKey ? rs.getLong(1) : FileEntry.NO_ROW;
                    T child = rows.read(rs, 2, table, utf8, row);
                    if (byPath) {
                        last = child; // the key is the path, read once as the child's
                    } else {
                        lastKey = rowidKey ? (Object) row : rs.getString(1);
                    }
                    if (rows.isShowable(this, child)) { // by path, deeper descendants come too: not shown
                        page.add(child);
                    }
                }
            }
            if (last != null) {
                lastKey = rows.path(last);
            }
            return n;
        });
        if (read < PAGE_SIZE) {
            run = following;
            lastKey = null;
        }
    }

    /**
     * Whether most files below this directory are its children, as its {@code dirs} row counts them:
     * then its files are listed by a range of the index on paths, where a directory's files lie
     * together however the rows were inserted; else by the index on {@code parent}, which names only
     * children but reaches each one's row wherever it lies (rows inserted directory by directory in
     * turn, as parallel writers leave them, lie a page apart).
     */
    private boolean mostlyChildren() throws IOException {
        return index.query(c -> {
            PreparedStatement s = c.prepare("SELECT num_files, num_files_tree FROM dirs WHERE path = ?");
            s.setString(1, dir);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                long files = rs.getLong(1);
                long tree = rs.getLong(2);
                return files > 0 && tree >= files && tree <= 2 * files;
            }
        });
    }

    private boolean isShowable(String path) {
        return path != null && path.length() > prefix.length() && path.startsWith(prefix)
                && ArchivePaths.isValidName(path.substring(prefix.length()));
    }

    /** {@link #isShowable(String)} on well-formed UTF-8, without decoding it. */
    private boolean isShowable(byte[] path) {
        int p = prefixUtf8.length;
        int n = path.length - p;
        if (n <= 0 || n > ArchivePaths.NAME_MAX || !Arrays.equals(path, 0, p, prefixUtf8, 0, p)) {
            return false;
        }
        if (path[p] == '.' && (n == 1 || n == 2 && path[p + 1] == '.')) {
            return false;
        }
        for (int i = p; i < path.length; i++) {
            if (path[i] == '/' || path[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** The directory's path followed by a slash, as UTF-8 (empty for the root): what each child's path starts with. */
    @Override
    public byte[] childPrefixUtf8() {
        return prefixUtf8.clone();
    }

    /**
     * Finds subdirectories without a {@code dirs} row by skipping through the {@code parent}
     * indexes: every parent value below this directory is either {@code prefix + name} or starts
     * with {@code prefix + name + "/"}, and each such name is looked at once, whatever the number
     * of entries below it.
     */
    private void nextImplicitPage() throws IOException {
        index.query(c -> {
            for (int found = 0; found < PAGE_SIZE; ) {
                String parent = minParent(c, scanFrom, scanInclusive);
                if (parent == null) {
                    run = Run.DONE;
                    return null;
                }
                String rest = parent.substring(prefix.length());
                int slash = rest.indexOf('/');
                String name = slash < 0 ? rest : rest.substring(0, slash);
                String path = prefix + name;
                if (slash < 0) {
                    scanFrom = parent;
                    scanInclusive = false;
                } else {
                    scanFrom = path + "0";
                    scanInclusive = true;
                }
                boolean firstSighting = slash < 0 || !isParentValue(c, path);
                if (firstSighting && ArchivePaths.isValidName(name) && !hasRow(c, Table.DIRS, path)
                        && !hasRow(c, Table.FILES, path)) {
                    page.add(rows.implicitDirectory(path));
                    found++;
                }
            }
            return null;
        });
    }

    private String minParent(IndexConnection c, String from, boolean inclusive) throws SQLException {
        String min = null;
        for (Table table : Table.values()) {
            String sql = "SELECT parent FROM " + table.name + " WHERE parent " + (inclusive ? ">=" : ">") + " ?"
                    + (upperBound == null ? "" : " AND parent < ?") + " ORDER BY parent LIMIT 1";
            PreparedStatement s = c.prepare(sql);
            s.setString(1, from);
            if (upperBound != null) {
                s.setString(2, upperBound);
            }
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    String p = rs.getString(1);
                    if (p != null && (min == null || IndexRows.compareUtf8(p, min) < 0)) {
                        min = p;
                    }
                }
            }
        }
        return min;
    }

    private static boolean isParentValue(IndexConnection c, String path) throws SQLException {
        for (Table table : Table.values()) {
            PreparedStatement s = c.prepare("SELECT 1 FROM " + table.name + " WHERE parent = ? LIMIT 1");
            s.setString(1, path);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether some row's parent lies below {@code path}: then it is a directory, with or without a row. */
    private static boolean hasParentBelow(IndexConnection c, String path) throws SQLException {
        for (Table table : Table.values()) {
            PreparedStatement s = c.prepare("SELECT 1 FROM " + table.name + " WHERE parent > ? AND parent < ? LIMIT 1");
            s.setString(1, path + "/");
            s.setString(2, path + "0");
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasRow(IndexConnection c, Table table, String path) throws SQLException {
        PreparedStatement s = c.prepare("SELECT 1 FROM " + table.name + " WHERE path = ?");
        s.setString(1, path);
        try (ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }
}
