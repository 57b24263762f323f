package org.barecat.fuse.kernel;

import java.nio.ByteBuffer;

/**
 * A read-only file system as the kernel's FUSE protocol addresses it: by node id (the root is
 * {@link Abi#ROOT_ID}), one method per request, each answering into a typed reply and returning 0
 * or a negative errno ({@link Errno}). {@link Session} decodes the requests, calls these, and
 * encodes what they answer; requests that would change something are answered {@code EROFS} there.
 * Methods are called from many threads at once and must not throw (a throw is answered EIO).
 * <p>
 * Node ids and lookup counts: every entry a method answers with a node id (a lookup, or a
 * READDIRPLUS entry) counts one lookup of that node, until {@link #forget} takes lookups back;
 * a node must stay valid while the kernel holds lookups of it. The session takes back, through
 * {@link #forget}, the lookups of a reply the kernel did not receive (its request was interrupted).
 */
public interface Filesystem {
    /** What INIT agreed with the kernel; called once, before any other request. */
    void init(Capabilities capabilities);

    /** Looks up {@code name} (raw bytes, no NUL) in directory {@code parent}. */
    int lookup(long parent, byte[] name, EntryOut out);

    /** The kernel dropped {@code lookups} lookups of {@code node}. No reply. */
    void forget(long node, long lookups);

    int getattr(long node, AttrOut out);

    /**
     * Opens file {@code node} with open(2) {@code flags}. {@code -ENOSYS} when
     * {@link Capabilities#noOpen}: the kernel then opens every file without asking and sends
     * reads with handle 0.
     */
    int open(long node, int flags, OpenOut out);

    /**
     * Reads up to {@code size} bytes at {@code offset} into {@code out}: the count (0 at the end) or
     * -errno.
     */
    int read(long node, long handle, long offset, int size, DataOut out);

    void release(long node, long handle);

    /** As {@link #open}, for a directory ({@code -ENOSYS} when {@link Capabilities#noOpendir}). */
    int opendir(long node, int flags, OpenOut out);

    /**
     * Lists directory {@code node} from {@code offset} (0: the start; else an offset this method gave
     * with an entry) until {@code out} is full or the directory ends.
     */
    int readdir(long node, long handle, long offset, DirectoryOut out);

    void releasedir(long node, long handle);

    int statfs(long node, StatfsOut out);

    /** The value of extended attribute {@code name}, into {@code out}. */
    int getxattr(long node, String name, XattrOut out);

    /** The names of the extended attributes, each ending with a NUL byte, into {@code out}. */
    int listxattr(long node, XattrOut out);

    /** What INIT agreed: the protocol minor version and what the kernel takes. */
    record Capabilities(int minor, boolean noOpen, boolean noOpendir, boolean readdirPlus, int maxRead) {
    }

    /** The fields of a {@code struct fuse_attr}; the three times are one. */
    interface Attr {
        void set(long ino, int mode, int nlink, long size, long blocks, long uid, long gid, long mtimeNs, int blksize);
    }

    /** A LOOKUP's reply. */
    interface EntryOut {
        /** The entry is node {@code node}, cached by the kernel for these times (seconds); fill in its attributes. */
        Attr entry(long node, double entrySeconds, double attrSeconds);

        /** Nothing has this name, and the kernel may remember that for {@code seconds}. */
        void negative(double seconds);
    }

    /** A GETATTR's reply. */
    interface AttrOut {
        Attr attr(double seconds);
    }

    /** An OPEN's or OPENDIR's reply: the handle later requests carry, and {@code FOPEN_*} flags. */
    interface OpenOut {
        void open(long handle, int openFlags);
    }

    /** A READDIR's or READDIRPLUS's reply, filled entry by entry. */
    interface DirectoryOut {
        /** Whether entries carry their attributes and node ids (READDIRPLUS): add with {@link #addPlus}. */
        boolean plus();

        /**
         * Adds the entry named {@code name[from..to)}; false, having added nothing, when it does not fit.
         * {@code type}: {@link Abi#DT_DIR} or {@link Abi#DT_REG}; {@code nextOffset}: where a listing
         * resumes after this entry.
         */
        boolean add(byte[] name, int from, int to, long ino, int type, long nextOffset);

        /**
         * For READDIRPLUS: adds the entry with node id {@code node} (0 for none, as for {@code .} and
         * {@code ..}, which count no lookup); null, having added nothing, when it does not fit; else fill
         * in its attributes.
         */
        Attr addPlus(byte[] name, int from, int to, long ino, int type, long nextOffset, long node,
                     double entrySeconds, double attrSeconds);
    }

    /** A READ's reply: the file's bytes, put where the reply's header can go right before them. */
    interface DataOut {
        /** Room for {@code size} bytes right after the header: put them from position 0. */
        ByteBuffer room(int size);

        /**
         * Room for {@code size} bytes and two pages more, starting at a page-aligned address, for a
         * read that places data by its alignment (direct I/O); say with {@link #from} where they start.
         */
        ByteBuffer alignedRoom(int size);

        /** The data put in {@link #alignedRoom} starts at {@code start} in it. */
        void from(int start);
    }

    /** A STATFS's reply. */
    interface StatfsOut {
        void statfs(long blocks, long bfree, long bavail, long files, long ffree, int bsize, int namelen, int frsize);
    }

    /** A GETXATTR's or LISTXATTR's value; the session answers the size protocol ({@code ERANGE}, size 0). */
    interface XattrOut {
        void value(byte[] bytes);
    }
}
