package org.barecat.fuse.kernel;

import java.util.List;

import static org.barecat.fuse.kernel.Layout.struct;

/**
 * The kernel's FUSE protocol as this layer speaks it (protocol 7.12 to 7.38, {@code linux/fuse.h}):
 * the structs, each defined once with its fields named, the offsets the codec reads from them, and
 * the opcodes and flags it uses.
 */
public final class Abi {
    private Abi() {
    }

    /** The newest minor version spoken here, and the oldest: 7.12 brought the notifications. */
    public static final int MAJOR = 7;
    public static final int MINOR = 38;
    public static final int OLDEST_MINOR = 12;
    public static final long ROOT_ID = 1;

    public static final Layout IN_HEADER = struct("fuse_in_header").u32("len").u32("opcode").u64("unique")
            .u64("nodeid").u32("uid").u32("gid").u32("pid").u16("total_extlen").u16("padding").end();
    public static final Layout OUT_HEADER = struct("fuse_out_header").u32("len").u32("error").u64("unique").end();
    public static final Layout ATTR = struct("fuse_attr").u64("ino").u64("size").u64("blocks").u64("atime")
            .u64("mtime").u64("ctime").u32("atimensec").u32("mtimensec").u32("ctimensec").u32("mode").u32("nlink")
            .u32("uid").u32("gid").u32("rdev").u32("blksize").u32("flags").end();
    public static final Layout KSTATFS = struct("fuse_kstatfs").u64("blocks").u64("bfree").u64("bavail")
            .u64("files").u64("ffree").u32("bsize").u32("namelen").u32("frsize").u32("padding")
            .array("spare", 4, 6).end();
    public static final Layout ENTRY_OUT = struct("fuse_entry_out").u64("nodeid").u64("generation")
            .u64("entry_valid").u64("attr_valid").u32("entry_valid_nsec").u32("attr_valid_nsec").nested("attr", ATTR)
            .end();
    public static final Layout ATTR_OUT = struct("fuse_attr_out").u64("attr_valid").u32("attr_valid_nsec")
            .u32("dummy").nested("attr", ATTR).end();
    public static final Layout FORGET_IN = struct("fuse_forget_in").u64("nlookup").end();
    public static final Layout FORGET_ONE = struct("fuse_forget_one").u64("nodeid").u64("nlookup").end();
    public static final Layout BATCH_FORGET_IN = struct("fuse_batch_forget_in").u32("count").u32("dummy").end();
    public static final Layout GETATTR_IN = struct("fuse_getattr_in").u32("getattr_flags").u32("dummy").u64("fh").end();
    public static final Layout OPEN_IN = struct("fuse_open_in").u32("flags").u32("open_flags").end();
    public static final Layout OPEN_OUT = struct("fuse_open_out").u64("fh").u32("open_flags").u32("padding").end();
    public static final Layout RELEASE_IN = struct("fuse_release_in").u64("fh").u32("flags").u32("release_flags")
            .u64("lock_owner").end();
    public static final Layout READ_IN = struct("fuse_read_in").u64("fh").u64("offset").u32("size")
            .u32("read_flags").u64("lock_owner").u32("flags").u32("padding").end();
    public static final Layout STATFS_OUT = struct("fuse_statfs_out").nested("st", KSTATFS).end();
    public static final Layout GETXATTR_IN = struct("fuse_getxattr_in").u32("size").u32("padding").end();
    public static final Layout GETXATTR_OUT = struct("fuse_getxattr_out").u32("size").u32("padding").end();
    public static final Layout ACCESS_IN = struct("fuse_access_in").u32("mask").u32("padding").end();
    public static final Layout INIT_IN = struct("fuse_init_in").u32("major").u32("minor").u32("max_readahead")
            .u32("flags").u32("flags2").array("unused", 4, 11).end();
    public static final Layout INIT_OUT = struct("fuse_init_out").u32("major").u32("minor").u32("max_readahead")
            .u32("flags").u16("max_background").u16("congestion_threshold").u32("max_write").u32("time_gran")
            .u16("max_pages").u16("map_alignment").u32("flags2").array("unused", 4, 7).end();
    public static final Layout INTERRUPT_IN = struct("fuse_interrupt_in").u64("unique").end();
    public static final Layout DIRENT = struct("fuse_dirent").u64("ino").u64("off").u32("namelen").u32("type").end();
    public static final Layout DIRENTPLUS = struct("fuse_direntplus").nested("entry_out", ENTRY_OUT)
            .nested("dirent", DIRENT).end();
    public static final Layout NOTIFY_INVAL_ENTRY_OUT = struct("fuse_notify_inval_entry_out").u64("parent")
            .u32("namelen").u32("flags").end();

    /** Every layout above, for the test that checks them against the kernel's header. */
    public static final List<Layout> ALL = List.of(IN_HEADER, OUT_HEADER, ATTR, KSTATFS, ENTRY_OUT, ATTR_OUT, FORGET_IN,
            FORGET_ONE, BATCH_FORGET_IN, GETATTR_IN, OPEN_IN, OPEN_OUT, RELEASE_IN, READ_IN, STATFS_OUT, GETXATTR_IN,
            GETXATTR_OUT, ACCESS_IN, INIT_IN, INIT_OUT, INTERRUPT_IN, DIRENT, DIRENTPLUS, NOTIFY_INVAL_ENTRY_OUT);

    /** {@code fuse_init_out} as protocols 7.5 to 7.22 have it (everything up to max_write). */
    static final int INIT_OUT_SIZE_7_22 = 24;
    /** {@code fuse_init_in} before 7.36: major, minor, max_readahead, flags. */
    static final int INIT_IN_SIZE_7_35 = 16;

    // Opcodes (enum fuse_opcode).
    public static final int LOOKUP = 1;
    public static final int FORGET = 2;
    public static final int GETATTR = 3;
    public static final int SETATTR = 4;
    public static final int READLINK = 5;
    public static final int SYMLINK = 6;
    public static final int MKNOD = 8;
    public static final int MKDIR = 9;
    public static final int UNLINK = 10;
    public static final int RMDIR = 11;
    public static final int RENAME = 12;
    public static final int LINK = 13;
    public static final int OPEN = 14;
    public static final int READ = 15;
    public static final int WRITE = 16;
    public static final int STATFS = 17;
    public static final int RELEASE = 18;
    public static final int FSYNC = 20;
    public static final int SETXATTR = 21;
    public static final int GETXATTR = 22;
    public static final int LISTXATTR = 23;
    public static final int REMOVEXATTR = 24;
    public static final int FLUSH = 25;
    public static final int INIT = 26;
    public static final int OPENDIR = 27;
    public static final int READDIR = 28;
    public static final int RELEASEDIR = 29;
    public static final int FSYNCDIR = 30;
    public static final int GETLK = 31;
    public static final int SETLK = 32;
    public static final int SETLKW = 33;
    public static final int ACCESS = 34;
    public static final int CREATE = 35;
    public static final int INTERRUPT = 36;
    public static final int BMAP = 37;
    public static final int DESTROY = 38;
    public static final int IOCTL = 39;
    public static final int POLL = 40;
    public static final int NOTIFY_REPLY = 41;
    public static final int BATCH_FORGET = 42;
    public static final int FALLOCATE = 43;
    public static final int READDIRPLUS = 44;
    public static final int RENAME2 = 45;
    public static final int LSEEK = 46;
    public static final int COPY_FILE_RANGE = 47;
    public static final int SYNCFS = 50;
    public static final int TMPFILE = 51;

    /** Notification codes, sent in {@code fuse_out_header.error} with unique 0. */
    public static final int NOTIFY_INVAL_ENTRY = 3;

    // INIT flags (the second word, flags2, shifted up by 32).
    public static final long ASYNC_READ = 1L;
    public static final long SPLICE_WRITE = 1L << 7;
    public static final long SPLICE_MOVE = 1L << 8;
    public static final long SPLICE_READ = 1L << 9;
    public static final long DO_READDIRPLUS = 1L << 13;
    public static final long READDIRPLUS_AUTO = 1L << 14;
    public static final long NO_OPEN_SUPPORT = 1L << 17;
    public static final long PARALLEL_DIROPS = 1L << 18;
    public static final long ABORT_ERROR = 1L << 21;
    public static final long MAX_PAGES = 1L << 22;
    public static final long NO_OPENDIR_SUPPORT = 1L << 24;
    public static final long INIT_EXT = 1L << 30;

    /** The protocol minor version each flag above came with: a kernel speaking less never offers it. */
    static int minorOf(long flag) {
        if (flag == ASYNC_READ) {
            return 6;
        } else if (flag == SPLICE_WRITE || flag == SPLICE_MOVE || flag == SPLICE_READ) {
            return 14;
        } else if (flag == DO_READDIRPLUS || flag == READDIRPLUS_AUTO) {
            return 21;
        } else if (flag == NO_OPEN_SUPPORT) {
            return 23;
        } else if (flag == PARALLEL_DIROPS) {
            return 25;
        } else if (flag == ABORT_ERROR) {
            return 27;
        } else if (flag == MAX_PAGES) {
            return 28;
        } else if (flag == NO_OPENDIR_SUPPORT) {
            return 29;
        } else if (flag == INIT_EXT) {
            return 36;
        }
        return Integer.MAX_VALUE; // a flag not used here: never kept
    }

    // fuse_open_out.open_flags
    public static final int FOPEN_DIRECT_IO = 1;
    public static final int FOPEN_KEEP_CACHE = 1 << 1;
    public static final int FOPEN_CACHE_DIR = 1 << 3;

    /** {@code fuse_dirent.type}: the file type bits of the mode, shifted down as {@code DT_*} has them. */
    public static final int DT_DIR = 4;
    public static final int DT_REG = 8;

    /** The most pages one request may carry (FUSE_MAX_MAX_PAGES), and a page. */
    public static final int MAX_MAX_PAGES = 256;
    public static final int PAGE = 4096;
    /** The smallest buffer the kernel lets a daemon read requests into. */
    public static final int MIN_READ_BUFFER = 8192;
}
