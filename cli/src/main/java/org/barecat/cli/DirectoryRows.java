package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveInfo;
import org.barecat.core.Child;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rows of one directory as {@code browse} and {@code ncdu} show them: read through the paging
 * listing, directories first. A directory of at most {@link #SORT_LIMIT} entries is read whole and
 * sorted as the original sorts it; a larger one (as its index row counts it) stays in the listing's
 * order and is read a page at a time as far as the view reaches, so a huge directory opens at once and
 * is held in memory only as far as it was scrolled.
 */
final class DirectoryRows {
    /** Largest directory read whole and sorted. */
    static final int SORT_LIMIT = 100_000;

    /** How rows are sorted, directories always first. */
    enum Order {
        /** browse: by name (code points), only names and kinds read. */
        NAME,
        /** ncdu: largest first, with sizes and file counts from the index's directory statistics. */
        SIZE
    }

    private final Archive archive;
    private final String dir;
    private final Order order;
    private final List<TuiEntry> rows = new ArrayList<>();
    private DirectoryListing<?> listing;
    private final boolean sorted;
    /** Entries the directory's index row counts; rows shown before they are all read. */
    private final long counted;

    private DirectoryRows(Archive archive, String dir, Order order, int sortLimit) throws IOException {
        this.archive = archive;
        this.dir = dir;
        this.order = order;
        this.listing = order == Order.NAME ? archive.listChildren(dir) : archive.list(dir);
        Optional<Entry> e = archive.lookup(dir);
        DirStats stats = e.isPresent() && e.get() instanceof DirEntry d ? d.stats() : null;
        counted = stats == null ? 0 : stats.numFiles() + stats.numSubdirs();
        if (counted > sortLimit) {
            sorted = false;
        } else {
            load(sortLimit + 1L); // a directory without statistics: as many as may be sorted
            sorted = listing == null;
        }
        if (sorted) {
            Comparator<TuiEntry> within = order == Order.NAME
                    ? Comparator.comparing(TuiEntry::name, LsCommand::compareCodePoints)
                    : Comparator.comparingLong(TuiEntry::size).reversed();
            rows.sort(Comparator.comparing((TuiEntry r) -> !r.directory()).thenComparing(within));
        }
    }

    /** The rows of directory {@code dir} (empty when there is none). */
    static DirectoryRows of(Archive archive, String dir, Order order) throws IOException {
        return of(archive, dir, order, SORT_LIMIT);
    }

    /** As {@link #of(Archive, String, Order)}, sorting directories of at most {@code sortLimit} entries. */
    static DirectoryRows of(Archive archive, String dir, Order order, int sortLimit) throws IOException {
        return new DirectoryRows(archive, dir, order, sortLimit);
    }

    String directory() {
        return dir;
    }

    /** Whether the rows are sorted (else in the index's order, see the class comment). */
    boolean sorted() {
        return sorted;
    }

    /**
     * The number of rows: those read once all are, else at least the number the index counts, and
     * always one more than row {@code i} when {@link #get} has read past it.
     */
    int size() {
        return listing == null ? rows.size() : (int) Math.min(Integer.MAX_VALUE, Math.max(rows.size(), counted));
    }

    /** Row {@code i}, reading up to it (and one beyond, to know whether there is more); null past the end. */
    TuiEntry get(int i) throws IOException {
        load(i + 2L);
        return i < rows.size() ? rows.get(i) : null;
    }

    /** Reads every row: for going to the last one. */
    void readAll() throws IOException {
        load(Long.MAX_VALUE);
    }

    /** The index of the first row named {@code name}, reading on until it is found; -1 if none. */
    int indexOf(String name) throws IOException {
        for (int i = 0; ; i++) {
            TuiEntry r = get(i);
            if (r == null) {
                return -1;
            }
            if (r.name().equals(name)) {
                return i;
            }
        }
    }

    private void load(long wanted) throws IOException {
        while (listing != null && rows.size() < wanted) {
            Object next = listing.take();
            if (next == null) {
                listing = null;
            } else {
                rows.add(row(next));
            }
        }
    }

    private TuiEntry row(Object child) throws IOException {
        if (child instanceof Child c) {
            return new TuiEntry(c.name(), c.directory(), 0, 0);
        }
        if (child instanceof FileEntry f) {
            return new TuiEntry(f.name(), false, f.size(), 1);
        }
        DirEntry d = (DirEntry) child;
        DirStats s = ArchiveInfo.treeStats(archive, d);
        return new TuiEntry(d.name(), true, s.sizeTree(), s.numFilesTree());
    }
}
