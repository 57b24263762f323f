package org.barecat.core;

import org.barecat.core.ArchiveIndex.Table;
import org.barecat.core.internal.IndexRows;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;

/**
 * Every row of both tables below a directory, in path order (by UTF-8 bytes, as the index sorts),
 * directories and files interleaved, so a directory comes before everything in it. Unlike
 * {@link DirectoryListing} this shows rows as they are, including paths no file system could
 * hold ({@code ..}, empty components, a leading {@code /}): callers that write such paths
 * somewhere must check them ({@link ArchivePaths#isCanonical}). Directories that have no row are not
 * shown. Pages through both path indexes; memory is two pages. Not thread-safe: one scan, one reader.
 */
public final class IndexScan implements EntryScan {
    private static final int PAGE = 512;

    private final Source files;
    private final Source dirs;

    private IndexScan(ArchiveIndex index, String dir, boolean withDirs, String after) {
        String from = IndexRows.descendantPrefix(dir);
        String to = IndexRows.descendantUpperBound(dir);
        // a resume point before the range would let rows outside the directory in
        String last = after != null && IndexRows.compareUtf8(after, from) >= 0 ? after : null;
        this.files = new Source(index, Table.FILES, from, to, last);
        this.dirs = withDirs ? new Source(index, Table.DIRS, from, to, last) : null;
    }

    /** Rows strictly below directory {@code dir} ({@code ""}: the whole archive, root row excluded). */
    public static IndexScan below(Archive archive, String dir) {
        return new IndexScan(archive.index(), dir, true, null);
    }

    /**
     * Like {@link #below(Archive, String)}, but only the rows whose paths sort after {@code after}: an
     * earlier scan's last path resumes it where it stopped, without reading the rows before.
     */
    public static IndexScan below(Archive archive, String dir, String after) {
        return new IndexScan(archive.index(), dir, true, after);
    }

    /** File rows strictly below directory {@code dir}. */
    public static IndexScan filesBelow(Archive archive, String dir) {
        return new IndexScan(archive.index(), dir, false, null);
    }

    /** The next row, or {@code null} at the end. */
    @Override
    public Entry next() throws IOException {
        Entry f = files.peek();
        Entry d = dirs == null ? null : dirs.peek();
        if (f == null && d == null) {
            return null;
        }
        if (d == null || (f != null && IndexRows.compareUtf8(f.path(), d.path()) < 0)) {
            return files.poll();
        }
        return dirs.poll();
    }

    /** One table's rows in the range, a page at a time. */
    private static final class Source {
        private final ArchiveIndex index;
        private final Table table;
        private final String from;
        private final String to;
        private final ArrayDeque<Entry> page = new ArrayDeque<>();
        private String last;
        private boolean done;

        Source(ArchiveIndex index, Table table, String from, String to, String last) {
            this.index = index;
            this.table = table;
            this.from = from;
            this.to = to;
            this.last = last;
        }

        Entry peek() throws IOException {
            while (page.isEmpty() && !done) {
                fill();
            }
            return page.peek();
        }

        Entry poll() throws IOException {
            Entry e = peek();
            page.poll();
            return e;
        }

        private void fill() throws IOException {
            String sql = "SELECT " + table.columns + " FROM " + table.name + " WHERE path "
                    + (last == null ? ">=" : ">") + " ?" + (to == null ? "" : " AND path < ?")
                    + " ORDER BY path LIMIT " + PAGE;
            int n = index.query(c -> {
                PreparedStatement s = c.prepare(sql);
                s.setString(1, last == null ? from : last);
                if (to != null) {
                    s.setString(2, to);
                }
                int rows = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        Entry e = ArchiveIndex.readEntry(rs, 1, table, index.utf8(), FileEntry.NO_ROW);
                        last = e.path();
                        if (!(e.path().isEmpty() && table == Table.DIRS)) {
                            page.add(e);
                        }
                    }
                }
                return rows;
            });
            if (n < PAGE) {
                done = true;
            }
        }
    }
}
