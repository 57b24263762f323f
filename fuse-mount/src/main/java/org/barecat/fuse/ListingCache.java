package org.barecat.fuse;

import org.barecat.core.ArchiveView;
import org.barecat.core.Child;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Directory listings held in memory, within a fixed budget of bytes, so that {@code readdir} serves
 * them without an index search: listings read ahead after mounting ({@link #readAhead}), and every
 * listing some reader went through to its end. The kernel keeps the listings it has read, but drops
 * them with its inodes (memory pressure, {@code drop_caches}); a listing from here then costs no SQL
 * and no disk read, only the copy into the kernel's buffer.
 * <p>
 * Bounded, not proportional to the archive: a listing larger than {@link #maxListingBytes} is never
 * kept (a million-entry directory still streams from the index in constant memory), and once the
 * budget is spent nothing more is added. Nothing is ever evicted or invalidated: the archive does not
 * change while mounted.
 */
final class ListingCache {
    /**
     * Bytes all listings may take together: about 260,000 children with 12-byte names. Small against
     * the daemon's own footprint, so that its memory hardly grows from small archives to huge ones.
     */
    static final long DEFAULT_BUDGET = 4L << 20;

    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    private final AtomicLong free;
    private final long maxListingBytes;

    ListingCache(long budget) {
        this.free = new AtomicLong(budget);
        this.maxListingBytes = budget / 4;
    }

    /**
     * The children of one directory, in listing order: their names back to back, and where each ends
     * (bit complemented for a subdirectory). Their inode numbers are hashed from the names again when
     * asked for: a third less memory per child than keeping them.
     */
    static final class Listing {
        private final byte[] names;
        private final int[] ends;
        /** {@link Inodes#state} of the directory's child prefix. */
        private final long inodeState;

        private Listing(byte[] names, int[] ends, long inodeState) {
            this.names = names;
            this.ends = ends;
            this.inodeState = inodeState;
        }

        int size() {
            return ends.length;
        }

        /** The names of all children, back to back: child {@code i}'s is from {@link #start} to {@link #end}. */
        byte[] names() {
            return names;
        }

        int start(int i) {
            return i == 0 ? 0 : end(i - 1);
        }

        int end(int i) {
            return ends[i] < 0 ? ~ends[i] : ends[i];
        }

        boolean directory(int i) {
            return ends[i] < 0;
        }

        long inode(int i) {
            return Inodes.of(inodeState, names, start(i), end(i));
        }

        long bytes() {
            return names.length + 4L * ends.length + 64;
        }
    }

    /** Collects a listing as it is read; gives up (and lets go of what it had) once it outgrows a listing's limit. */
    final class Builder {
        private final long inodeState;
        private byte[] names = new byte[256];
        private int[] ends = new int[16];
        private int length;
        private int count;
        private boolean abandoned;

        private Builder(long inodeState) {
            this.inodeState = inodeState;
        }

        /** Adds the child whose name is {@code utf8[from..]}; false once the listing is too large to keep. */
        boolean add(byte[] utf8, int from, boolean directory) {
            if (abandoned) {
                return false;
            }
            int n = utf8.length - from;
            if (length + n + 4L * (count + 1) > maxListingBytes) {
                abandoned = true;
                names = null;
                ends = null;
                return false;
            }
            if (length + n > names.length) {
                names = Arrays.copyOf(names, Math.max(names.length * 2, length + n));
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            System.arraycopy(utf8, from, names, length, n);
            length += n;
            ends[count++] = directory ? ~length : length;
            return true;
        }

        /** Keeps what was collected as {@code dir}'s listing, if it fits in what is left of the budget. */
        boolean keep(String dir) {
            if (abandoned) {
                return false;
            }
            Listing listing = new Listing(Arrays.copyOf(names, length), Arrays.copyOf(ends, count), inodeState);
            long cost = listing.bytes();
            if (free.addAndGet(-cost) < 0) {
                free.addAndGet(cost);
                return false;
            }
            if (listings.putIfAbsent(dir, listing) != null) {
                free.addAndGet(cost);
            }
            return true;
        }
    }

    /** Collects the listing of a directory whose child prefix has {@link Inodes#state} {@code inodeState}. */
    Builder builder(long inodeState) {
        return new Builder(inodeState);
    }

    /** The listing of {@code dir} (an archive path, "" for the root), or null when it is not held. */
    Listing get(String dir) {
        return listings.get(dir);
    }

    /**
     * Lists directories from the root down, breadth first, into the cache, until every directory is
     * held or the budget is spent; a directory too large to keep is skipped with its subtree. Meant for
     * a background thread once the mount is live: {@code find}, {@code os.walk} and {@code ImageFolder}
     * then list from memory, even the first time. Ends early, at the next directory, once {@code stop} says so.
     */
    void readAhead(ArchiveView archive, BooleanSupplier stop) throws IOException {
        ArrayDeque<String> dirs = new ArrayDeque<>();
        dirs.add("");
        while (!dirs.isEmpty() && !stop.getAsBoolean()) {
            String dir = dirs.poll();
            if (get(dir) != null) {
                continue;
            }
            org.barecat.core.Listing<Child> listing = archive.listChildren(dir);
            byte[] prefix = listing.childPrefixUtf8();
            Builder builder = builder(Inodes.state(prefix));
            int queued = dirs.size();
            for (Child c = listing.take(); c != null; c = listing.take()) {
                byte[] p = c.utf8Path();
                if (!builder.add(p, prefix.length, c.directory())) {
                    break;
                }
                if (c.directory()) {
                    dirs.add(c.path());
                }
            }
            if (!builder.keep(dir)) {
                if (!builder.abandoned) {
                    return; // the budget is spent
                }
                while (dirs.size() > queued) {
                    dirs.pollLast(); // too large to keep: its subdirectories are not read ahead either
                }
            }
        }
    }
}
