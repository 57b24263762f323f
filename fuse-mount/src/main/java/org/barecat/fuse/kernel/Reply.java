package org.barecat.fuse.kernel;

import java.nio.ByteBuffer;

import static org.barecat.fuse.kernel.Abi.ATTR;
import static org.barecat.fuse.kernel.Abi.ATTR_OUT;
import static org.barecat.fuse.kernel.Abi.DIRENT;
import static org.barecat.fuse.kernel.Abi.DIRENTPLUS;
import static org.barecat.fuse.kernel.Abi.ENTRY_OUT;
import static org.barecat.fuse.kernel.Abi.KSTATFS;
import static org.barecat.fuse.kernel.Abi.OPEN_OUT;
import static org.barecat.fuse.kernel.Abi.OUT_HEADER;

/**
 * One worker's reply under construction: {@code fuse_out_header}, then the payload the
 * {@link Filesystem} answered through the typed views this implements. Reused for every request.
 */
final class Reply implements Filesystem.EntryOut, Filesystem.AttrOut, Filesystem.Attr, Filesystem.OpenOut,
        Filesystem.DirectoryOut, Filesystem.StatfsOut, Filesystem.XattrOut, Filesystem.DataOut {
    static final int HEADER = OUT_HEADER.size();
    private static final int H_LEN = OUT_HEADER.at("len");
    private static final int H_ERROR = OUT_HEADER.at("error");
    private static final int H_UNIQUE = OUT_HEADER.at("unique");

    private static final int E_NODEID = ENTRY_OUT.at("nodeid");
    private static final int E_GENERATION = ENTRY_OUT.at("generation");
    private static final int E_ENTRY_VALID = ENTRY_OUT.at("entry_valid");
    private static final int E_ATTR_VALID = ENTRY_OUT.at("attr_valid");
    private static final int E_ENTRY_NSEC = ENTRY_OUT.at("entry_valid_nsec");
    private static final int E_ATTR_NSEC = ENTRY_OUT.at("attr_valid_nsec");
    private static final int E_ATTR = ENTRY_OUT.at("attr");

    private static final int A_VALID = ATTR_OUT.at("attr_valid");
    private static final int A_NSEC = ATTR_OUT.at("attr_valid_nsec");
    private static final int A_DUMMY = ATTR_OUT.at("dummy");
    private static final int A_ATTR = ATTR_OUT.at("attr");

    private static final int INO = ATTR.at("ino");
    private static final int SIZE = ATTR.at("size");
    private static final int BLOCKS = ATTR.at("blocks");
    private static final int ATIME = ATTR.at("atime");
    private static final int MTIME = ATTR.at("mtime");
    private static final int CTIME = ATTR.at("ctime");
    private static final int ATIMENSEC = ATTR.at("atimensec");
    private static final int MTIMENSEC = ATTR.at("mtimensec");
    private static final int CTIMENSEC = ATTR.at("ctimensec");
    private static final int MODE = ATTR.at("mode");
    private static final int NLINK = ATTR.at("nlink");
    private static final int UID = ATTR.at("uid");
    private static final int GID = ATTR.at("gid");
    private static final int RDEV = ATTR.at("rdev");
    private static final int BLKSIZE = ATTR.at("blksize");
    private static final int FLAGS = ATTR.at("flags");

    private static final int D_INO = DIRENT.at("ino");
    private static final int D_OFF = DIRENT.at("off");
    private static final int D_NAMELEN = DIRENT.at("namelen");
    private static final int D_TYPE = DIRENT.at("type");
    private static final int DP_ENTRY = DIRENTPLUS.at("entry_out");
    private static final int DP_DIRENT = DIRENTPLUS.at("dirent");

    final NativeBuffer buffer;
    private final ByteBuffer out;
    /** The payload's room, as a buffer of its own for reads. */
    private final ByteBuffer payload;
    /** Payload bytes written so far. */
    int length;
    /** Where the reply starts in the buffer: 0, but for a READ's data placed by a direct read (see {@link #alignedRoom}). */
    int start;
    private long unique;
    /** Where {@link #set} writes the next {@code fuse_attr}. */
    private int attrAt;
    /** For a directory reply: the most payload bytes, and whether entries carry attributes. */
    private int directoryLimit;
    private boolean plus;
    /** Node ids this reply counts a lookup of (a LOOKUP's, READDIRPLUS entries'), for {@link Session} to take back if it is lost. */
    long[] counted = new long[16];
    int countedNodes;
    /** A GETXATTR's or LISTXATTR's value. */
    byte[] xattr;

    /** @param payloadRoom the largest payload; room for placing it aligned comes on top */
    Reply(int payloadRoom) {
        buffer = NativeBuffer.allocate(HEADER + payloadRoom + 3 * Abi.PAGE);
        out = buffer.bytes();
        payload = out.slice(HEADER, payloadRoom).order(out.order());
    }

    /** Starts a new reply (to request {@code unique}) with an empty payload. */
    void begin(long unique) {
        this.unique = unique;
        length = 0;
        start = 0;
        countedNodes = 0;
        xattr = null;
    }

    /**
     * Writes the header, at {@link #start}, for a reply with this payload (error 0) or {@code error} (a
     * negative errno, no payload); the bytes to send from {@link #start}.
     */
    int finish(int error) {
        int total = HEADER + (error == 0 ? length : 0);
        out.putInt(start + H_LEN, total);
        out.putInt(start + H_ERROR, error);
        out.putLong(start + H_UNIQUE, unique);
        return total;
    }

    long unique() {
        return unique;
    }

    int payloadRoom() {
        return payload.capacity();
    }

    /** Room for {@code size} bytes of file data, at most what the payload holds. */
    @Override
    public ByteBuffer room(int size) {
        payload.clear().limit(Math.min(size, payload.capacity()));
        return payload;
    }

    @Override
    public ByteBuffer alignedRoom(int size) {
        int at = alignedAt();
        return out.slice(at, Math.min(size + 2 * Abi.PAGE, out.capacity() - at)).order(out.order());
    }

    @Override
    public void from(int start) {
        this.start = alignedAt() + start - HEADER;
    }

    /** The first page-aligned offset in the buffer with room for a header before it. */
    private int alignedAt() {
        long address = buffer.address() + HEADER;
        return HEADER + (int) ((Abi.PAGE - address % Abi.PAGE) % Abi.PAGE);
    }

    /** Puts the raw bytes of a payload (an INIT's) that the caller writes through {@link #put32} and {@link #put16}. */
    void payload(int bytes) {
        out.put(HEADER, new byte[bytes]);
        length = bytes;
    }

    void put32(int at, int value) {
        out.putInt(HEADER + at, value);
    }

    void put16(int at, int value) {
        out.putShort(HEADER + at, (short) value);
    }

    long payload64(int at) {
        return out.getLong(HEADER + at);
    }

    int payload32(int at) {
        return out.getInt(HEADER + at);
    }

    // ---------------------------------------------------------------- typed replies

    @Override
    public Filesystem.Attr entry(long node, double entrySeconds, double attrSeconds) {
        putEntry(HEADER, node, entrySeconds, attrSeconds);
        length = ENTRY_OUT.size();
        if (node != 0) {
            count(node);
        }
        return this;
    }

    @Override
    public void negative(double seconds) {
        putEntry(HEADER, 0, seconds, 0);
        set(0, 0, 0, 0, 0, 0, 0, 0, 0);
        length = ENTRY_OUT.size();
    }

    private void putEntry(int at, long node, double entrySeconds, double attrSeconds) {
        out.putLong(at + E_NODEID, node);
        out.putLong(at + E_GENERATION, 0);
        out.putLong(at + E_ENTRY_VALID, seconds(entrySeconds));
        out.putLong(at + E_ATTR_VALID, seconds(attrSeconds));
        out.putInt(at + E_ENTRY_NSEC, nanos(entrySeconds));
        out.putInt(at + E_ATTR_NSEC, nanos(attrSeconds));
        attrAt = at + E_ATTR;
    }

    @Override
    public Filesystem.Attr attr(double seconds) {
        out.putLong(HEADER + A_VALID, seconds(seconds));
        out.putInt(HEADER + A_NSEC, nanos(seconds));
        out.putInt(HEADER + A_DUMMY, 0);
        attrAt = HEADER + A_ATTR;
        length = ATTR_OUT.size();
        return this;
    }

    @Override
    public void set(long ino, int mode, int nlink, long size, long blocks, long uid, long gid, long mtimeNs, int blksize) {
        int at = attrAt;
        long sec = Math.floorDiv(mtimeNs, 1_000_000_000L);
        int nsec = (int) Math.floorMod(mtimeNs, 1_000_000_000L);
        out.putLong(at + INO, ino);
        out.putLong(at + SIZE, size);
        out.putLong(at + BLOCKS, blocks);
        out.putLong(at + ATIME, sec);
        out.putLong(at + MTIME, sec);
        out.putLong(at + CTIME, sec);
        out.putInt(at + ATIMENSEC, nsec);
        out.putInt(at + MTIMENSEC, nsec);
        out.putInt(at + CTIMENSEC, nsec);
        out.putInt(at + MODE, mode);
        out.putInt(at + NLINK, nlink);
        out.putInt(at + UID, (int) uid);
        out.putInt(at + GID, (int) gid);
        out.putInt(at + RDEV, 0);
        out.putInt(at + BLKSIZE, blksize);
        out.putInt(at + FLAGS, 0);
    }

    @Override
    public void open(long handle, int openFlags) {
        out.putLong(HEADER + OPEN_OUT.at("fh"), handle);
        out.putInt(HEADER + OPEN_OUT.at("open_flags"), openFlags);
        out.putInt(HEADER + OPEN_OUT.at("padding"), 0);
        length = OPEN_OUT.size();
    }

    /** Starts a directory reply of at most {@code size} bytes. */
    void directory(int size, boolean plus) {
        directoryLimit = Math.min(size, payload.capacity());
        this.plus = plus;
        length = 0;
    }

    @Override
    public boolean plus() {
        return plus;
    }

    @Override
    public boolean add(byte[] name, int from, int to, long ino, int type, long nextOffset) {
        int n = to - from;
        int size = align8(DIRENT.size() + n);
        if (length + size > directoryLimit) {
            return false;
        }
        putDirent(HEADER + length, name, from, n, ino, type, nextOffset, size);
        length += size;
        return true;
    }

    @Override
    public Filesystem.Attr addPlus(byte[] name, int from, int to, long ino, int type, long nextOffset, long node,
                                   double entrySeconds, double attrSeconds) {
        int n = to - from;
        int size = align8(DIRENTPLUS.size() + n);
        if (length + size > directoryLimit) {
            return null;
        }
        int at = HEADER + length;
        putEntry(at + DP_ENTRY, node, entrySeconds, attrSeconds);
        putDirent(at + DP_DIRENT, name, from, n, ino, type, nextOffset, size - DP_DIRENT);
        length += size;
        if (node != 0) {
            count(node);
        }
        set(ino, type << 12, 1, 0, 0, 0, 0, 0, 0); // what the caller does not overwrite is still defined
        return this;
    }

    /** A {@code fuse_dirent} of {@code size} bytes (the name zero-padded) at {@code at}. */
    private void putDirent(int at, byte[] name, int from, int n, long ino, int type, long nextOffset, int size) {
        out.putLong(at + D_INO, ino);
        out.putLong(at + D_OFF, nextOffset);
        out.putInt(at + D_NAMELEN, n);
        out.putInt(at + D_TYPE, type);
        int nameAt = at + DIRENT.size();
        out.put(nameAt, name, from, n);
        for (int i = nameAt + n; i < at + size; i++) {
            out.put(i, (byte) 0);
        }
    }

    @Override
    public void statfs(long blocks, long bfree, long bavail, long files, long ffree, int bsize, int namelen, int frsize) {
        int at = HEADER; // fuse_statfs_out is one fuse_kstatfs
        out.put(at, new byte[KSTATFS.size()]);
        out.putLong(at + KSTATFS.at("blocks"), blocks);
        out.putLong(at + KSTATFS.at("bfree"), bfree);
        out.putLong(at + KSTATFS.at("bavail"), bavail);
        out.putLong(at + KSTATFS.at("files"), files);
        out.putLong(at + KSTATFS.at("ffree"), ffree);
        out.putInt(at + KSTATFS.at("bsize"), bsize);
        out.putInt(at + KSTATFS.at("namelen"), namelen);
        out.putInt(at + KSTATFS.at("frsize"), frsize);
        length = KSTATFS.size();
    }

    @Override
    public void value(byte[] bytes) {
        xattr = bytes;
    }

    /** Puts {@code bytes} as the payload; false when they do not fit. */
    boolean bytes(byte[] bytes) {
        if (bytes.length > payload.capacity()) {
            return false;
        }
        out.put(HEADER, bytes);
        length = bytes.length;
        return true;
    }

    /** The node id the entry reply (LOOKUP) names. */
    long entryNode() {
        return out.getLong(HEADER + E_NODEID);
    }

    /** The mode in the attributes last written. */
    int attrMode() {
        return out.getInt(attrAt + MODE);
    }

    long attrSize() {
        return out.getLong(attrAt + SIZE);
    }

    private void count(long node) {
        if (countedNodes == counted.length) {
            counted = java.util.Arrays.copyOf(counted, countedNodes * 2);
        }
        counted[countedNodes++] = node;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }

    /** Whole seconds of a timeout given in seconds. */
    static long seconds(double t) {
        return (long) t;
    }

    /** The nanoseconds past {@link #seconds}. */
    static int nanos(double t) {
        return (int) ((t - (long) t) * 1.0e9);
    }
}
