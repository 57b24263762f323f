package org.barecat.fuse;

import org.barecat.fuse.kernel.Abi;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How entries are named to the kernel: every node id is made here.
 * <ul>
 *   <li>the root is {@link Abi#ROOT_ID};</li>
 *   <li>a file with a rowid is {@link #FILE_ROW} plus its rowid: nothing is held for it, whatever
 *       the kernel keeps, and a request naming it finds the row by rowid;</li>
 *   <li>directories, and files of indexes without rowids (the 0.2 layout), are held here by path
 *       with the number of lookups the kernel holds, from the lookup that named them until the
 *       kernel forgets them.</li>
 * </ul>
 */
final class Nodes {
    static final long ROOT = Abi.ROOT_ID;
    static final long FILE_ROW = 1L << 62;

    /** A held node: its archive path, its kind, and the lookups the kernel holds. */
    static final class Held {
        final long id;
        final String path;
        final boolean directory;
        long lookups;

        Held(long id, String path, boolean directory) {
            this.id = id;
            this.path = path;
            this.directory = directory;
        }
    }

    private final Map<Long, Held> byId = new ConcurrentHashMap<>();
    private final Map<String, Held> byPath = new HashMap<>();
    private long next = ROOT + 1;

    Nodes() {
        Held root = new Held(ROOT, "", true);
        root.lookups = Long.MAX_VALUE / 2; // never forgotten
        byId.put(ROOT, root);
        byPath.put("", root);
    }

    /** Whether files with this rowid can be named by it. */
    static boolean rowFits(long row) {
        return row > 0 && row < FILE_ROW;
    }

    static boolean isFileRow(long node) {
        return (node & FILE_ROW) != 0;
    }

    static long ofRow(long row) {
        return FILE_ROW | row;
    }

    static long rowOf(long node) {
        return node & ~FILE_ROW;
    }

    /** Counts one lookup of the entry at {@code path}: its node id, made now if it has none. */
    synchronized long hold(String path, boolean directory) {
        Held h = byPath.get(path);
        if (h == null || h.directory != directory) {
            if (h != null) {
                byPath.remove(path); // the kernel holds an older node for this path: it stays valid by id
            }
            h = new Held(next++, path, directory);
            byId.put(h.id, h);
            byPath.put(path, h);
        }
        h.lookups++;
        return h.id;
    }

    /** The held node {@code id}, or null. */
    Held get(long id) {
        return byId.get(id);
    }

    /** The kernel dropped {@code lookups} lookups of {@code id}; a node it no longer holds is let go. */
    synchronized void forget(long id, long lookups) {
        Held h = byId.get(id);
        if (h == null || id == ROOT) {
            return;
        }
        h.lookups -= lookups;
        if (h.lookups <= 0) {
            byId.remove(id);
            byPath.remove(h.path, h);
        }
    }

    /** Nodes held, the root among them. */
    int size() {
        return byId.size();
    }
}
