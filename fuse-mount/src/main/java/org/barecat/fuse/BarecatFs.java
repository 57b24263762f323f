package org.barecat.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import com.kenai.jffi.MemoryIO;
import org.barecat.core.Archive;
import org.barecat.core.ArchivePaths;
import org.barecat.core.ArchiveStats;
import org.barecat.core.Attributes;
import org.barecat.core.Child;
import org.barecat.core.DirEntry;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.ReadVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FuseOperations;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FUSE callbacks over an {@link Archive}. Thin on purpose: each callback turns a kernel request
 * into one fs-core call and the answer into an errno. No callback throws into native code.
 * <ul>
 *   <li>Files are opened without a message: {@code open} answers {@code ENOSYS} once, which
 *       kernels since 3.15 take as "opens always succeed, keep the page cache", so from then on
 *       opening and closing a file costs no round trip to this process, and a file whose pages
 *       are cached is read without one. A read finds the file by the row its node id carries
 *       ({@link #fileReplies}), in {@link #byRow} that the lookup before it filled (no SQL), and
 *       reads straight into the kernel's buffer. On older kernels {@code open} keeps a handle table
 *       instead.</li>
 *   <li>{@code readdir} serves a listing held in memory ({@link ListingCache}: read ahead after
 *       mounting, within a fixed budget), or else streams names and kinds only
 *       ({@link Archive#listChildren}) from a listing kept per open directory, and resumes at the
 *       offset the kernel passes back. {@link FuseSession} answers READDIR through
 *       {@link #directoryReplies}, writing the entries straight into the reply. Directories are
 *       opened without a message too: {@code opendir} answers {@code ENOSYS} once, which kernels
 *       since 5.1 take as "opens always succeed, keep each listing", so listing a directory costs
 *       its READDIRs alone, a third fewer requests in a {@code find}. Those READDIRs name the
 *       directory by node id: {@link FuseSession} keeps each directory's path
 *       ({@link DirectoryNodes}), and a listing that stops short of its end waits for the next
 *       READDIR in {@link #resumable}. Whole rows would
 *       let the {@code getattr} that may follow each child skip its query, but cost every listing
 *       about half again as much ({@code find}, {@code os.walk} and {@code ImageFolder} never ask
 *       for them; see bench/results). The kernel keeps each listing it has read and serves the
 *       next one itself ({@link FuseSession} marks directory opens so).</li>
 *   <li>Every kind of write answers {@code EROFS}.</li>
 *   <li>A file whose row cannot give its bytes (see {@link Archive#checkLocation}) answers {@code EIO}
 *       to getattr, open and read; with {@code verify}, so does the read that reaches the end of a
 *       file whose bytes do not have the stored CRC-32C.</li>
 * </ul>
 */
public final class BarecatFs extends FuseStubFS {
    private static final Logger log = LoggerFactory.getLogger(BarecatFs.class);
    private static final int O_ACCMODE = 03;
    private static final int O_RDONLY = 0;
    private static final int ST_RDONLY = 1;
    private static final int BLOCK_SIZE = 4096;
    /** Preferred I/O size shown in st_blksize, so readers ask for large reads. */
    private static final int IO_BLOCK_SIZE = 128 * 1024;
    /**
     * Entries kept by path for the getattr, open and read that follow a lookup or a listing: some
     * 8 MB at most. A dataset of up to this many files stays whole from one pass to the next (an
     * lstat of 20,000 files after the kernel dropped its caches took two thirds of the daemon's CPU
     * it took with 16,384, which emptied once a pass; 65,536 made no pass over the benchmark's trees
     * faster, and an lstat of a 1,000,000-file archive 11 MB bigger).
     */
    private static final int ENTRY_CACHE_LIMIT = 32_768;
    /** Most rows one directory's fetch puts in the entry cache (see {@link #entryAt}). */
    private static final int SIBLING_ROWS_LIMIT = 4_096;
    /**
     * Slots of {@link #byRow}, a power of two: the files last looked up or read by row, one per slot
     * chosen by the row's low bits, so the files of a directory (consecutive rows) share none.
     */
    private static final int ROW_SLOTS = 4_096;
    private static final int REPORTED_FAILURES_LIMIT = 10_000;

    static final String XATTR_CRC32C = "user.barecat.crc32c";
    static final String XATTR_SHARD = "user.barecat.shard";
    static final String XATTR_OFFSET = "user.barecat.offset";
    static final String XATTR_NUM_FILES_TREE = "user.barecat.num_files_tree";
    static final String XATTR_SIZE_TREE = "user.barecat.size_tree";

    private final Archive archive;
    private final EntryDefaults defaults;
    private final MountOptions.Overrides overrides;
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final boolean zeroMessageOpen;
    private final boolean zeroMessageOpendir;
    /** Calls of {@link #opendir} (for tests: with zero-message opendirs the kernel makes one). */
    private final AtomicLong opendirCalls = new AtomicLong();
    /**
     * Listings of directories opened without a message that stopped short of their end (the
     * kernel's buffer was full), by path and the offset they go on from; the oldest dropped beyond
     * {@link #RESUMABLE_LIMIT}, as no RELEASEDIR says when a reader has gone. Listings held in the
     * {@link ListingCache} need none of this.
     */
    private final Map<Resume, OpenDirectory> resumable = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Resume, OpenDirectory> eldest) {
            return size() > RESUMABLE_LIMIT;
        }
    };
    private static final int RESUMABLE_LIMIT = 64;

    private record Resume(String path, long offset) {
    }
    private final Map<Long, FileEntry> openFiles = new ConcurrentHashMap<>();
    private final Map<Long, OpenDirectory> openDirectories = new ConcurrentHashMap<>();
    private final ListingCache listings = new ListingCache(ListingCache.DEFAULT_BUDGET);
    private volatile boolean stopping;
    /** Open directories by libfuse's handle for them (see {@link #directoryReplies}). */
    private final Map<Long, OpenDirectory> byKernelHandle = new ConcurrentHashMap<>();
    /** The directory this thread's opendir callback just opened, until libfuse's reply names its handle. */
    private final ThreadLocal<OpenDirectory> lastOpened = new ThreadLocal<>();
    /** Rows recently looked up, by archive path (for the read after a getattr); emptied when it reaches its limit. */
    private final Map<String, Entry> entryCache = new ConcurrentHashMap<>();
    /** Directories whose rows were all fetched into the entry cache since it was last emptied. */
    private final Set<String> fetchedDirectories = ConcurrentHashMap.newKeySet();
    /** The directory of the last path the entry cache missed. */
    private volatile String lastMissDirectory;
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();
    /**
     * Files by {@link FileEntry#row} ({@link #ROW_SLOTS}): for the requests that name a file by the
     * node id {@link FuseSession} made of its row. Written and read without locks: a slot holds an
     * immutable entry or null, and a reader checks the row.
     */
    private final FileEntry[] byRow = new FileEntry[ROW_SLOTS];
    /** Checksum state per open file handle when mounted with {@code verify}, else null. */
    private final Map<Long, ReadVerifier> verifiers;

    /**
     * An open directory: its listing held in memory, or else the one streaming from the index (with
     * what it has taken so far, to be kept when it reaches its end) and the offset its next entry will have.
     */
    private static final class OpenDirectory {
        final String path;
        final ListingCache.Listing held;
        DirectoryListing<Child> listing;
        ListingCache.Builder collected;
        /** Where each child's name starts in its path (the listing's child prefix), and the inode hash state after it. */
        int nameStart;
        long inodeState;
        long nextOffset;
        /** libfuse's handle for it, as the kernel sends it with each READDIR (0 until the reply to opendir). */
        volatile long kernelHandle;

        OpenDirectory(String path, ListingCache.Listing held) {
            this.path = path;
            this.held = held;
        }
    }

    public BarecatFs(Archive archive, EntryDefaults defaults) {
        this(archive, defaults, false);
    }

    /**
     * @param verify check each file's CRC-32C as it is read (see {@link ReadVerifier}); that needs a
     *               handle per open file, so it turns zero-message opens off
     */
    public BarecatFs(Archive archive, EntryDefaults defaults, boolean verify) {
        this(archive, defaults, verify, true);
    }

    /**
     * @param readdirAnswered whether READDIR reaches {@link #directoryReplies} (not under {@code -d},
     *                        where libfuse answers it: that needs a handle from opendir)
     */
    BarecatFs(Archive archive, EntryDefaults defaults, boolean verify, boolean readdirAnswered) {
        this(archive, defaults, MountOptions.Overrides.NONE, verify, readdirAnswered);
    }

    /** @param overrides the owner, group and umask every entry shows ({@link MountOptions#overrides}) */
    BarecatFs(Archive archive, EntryDefaults defaults, MountOptions.Overrides overrides, boolean verify,
              boolean readdirAnswered) {
        this(archive, defaults, overrides, verify, !verify && KernelVersion.atLeast(3, 15),
                readdirAnswered && KernelVersion.atLeast(5, 1));
    }

    /**
     * @param zeroMessageOpen    answer open with ENOSYS (kernels since 3.15 then never send it again)
     * @param zeroMessageOpendir answer opendir with ENOSYS (kernels since 5.1 then never send it again)
     */
    BarecatFs(Archive archive, EntryDefaults defaults, boolean verify, boolean zeroMessageOpen,
              boolean zeroMessageOpendir) {
        this(archive, defaults, MountOptions.Overrides.NONE, verify, zeroMessageOpen, zeroMessageOpendir);
    }

    BarecatFs(Archive archive, EntryDefaults defaults, MountOptions.Overrides overrides, boolean verify,
              boolean zeroMessageOpen, boolean zeroMessageOpendir) {
        this.archive = archive;
        this.defaults = defaults;
        this.overrides = overrides;
        this.verifiers = verify ? new ConcurrentHashMap<>() : null;
        this.zeroMessageOpen = zeroMessageOpen;
        this.zeroMessageOpendir = zeroMessageOpendir;
        // jnr-fuse's own getattr callback makes a FileStat, some twenty objects, per call (each LOOKUP
        // is one): each thread keeps one and points it at the call's buffer.
        fuseOperations.getattr.set((path, buffer) -> {
            FileStat stat = STATS.get();
            stat.useMemory(buffer);
            return getattr(path, stat);
        });
    }

    private static final ThreadLocal<FileStat> STATS = ThreadLocal.withInitial(() -> new FileStat(Runtime.getSystemRuntime()));

    @Override
    protected String getFSName() {
        return "barecat";
    }

    /** The callbacks as libfuse takes them. */
    FuseOperations operations() {
        return fuseOperations;
    }

    // ---------------------------------------------------------------- lookups

    /**
     * The entry at a path the kernel gives ({@code /a/b}), from the entry cache or the index; a file
     * whose row cannot give its bytes fails here (see {@link Archive#checkLocation}).
     */
    private Optional<Entry> resolve(String fusePath) throws IOException {
        Entry entry = entryAt(fusePath);
        if (entry instanceof FileEntry file) {
            archive.checkLocation(file);
        }
        return Optional.ofNullable(entry);
    }

    /**
     * Like {@link #resolve} without the location check, or null when there is nothing at the path.
     * A second miss in a row in the same directory fetches the rows of all its children, once until
     * the cache is emptied, when its {@code dirs} row counts at most {@link #SIBLING_ROWS_LIMIT} of
     * them: {@code ls -l}, {@code du}, {@code rsync} and {@code tar} stat a directory's children one
     * after another, and listing a directory's rows costs about what a few lookups do. A reader going
     * from directory to directory at random rarely misses twice in one.
     */
    private Entry entryAt(String fusePath) throws IOException {
        String path = ArchivePaths.normalize(fusePath);
        if (path == null) {
            return null;
        }
        Entry entry = entryCache.get(path);
        if (entry != null) {
            return entry;
        }
        if (!path.isEmpty()) {
            String dir = ArchivePaths.parent(path);
            if (dir.equals(lastMissDirectory) && isSmall(entryCache.get(dir)) && fetchedDirectories.add(dir)) {
                DirectoryListing<Entry> children = archive.list(dir);
                Entry child;
                for (int n = 0; n < SIBLING_ROWS_LIMIT && (child = children.take()) != null; n++) {
                    remember(child);
                }
                entry = entryCache.get(path);
                if (entry != null) {
                    return entry;
                }
            }
            lastMissDirectory = dir;
        }
        return lookUp(path);
    }

    /** Whether {@code dir} is a directory whose row counts at most {@link #SIBLING_ROWS_LIMIT} children. */
    private static boolean isSmall(Entry dir) {
        return dir instanceof DirEntry d && d.stats() != null
                && d.stats().numFiles() + d.stats().numSubdirs() <= SIBLING_ROWS_LIMIT;
    }

    /** Whether the rows of {@code dir}'s children were fetched together since the entry cache was last emptied. */
    boolean fetchedRowsOf(String dir) {
        return fetchedDirectories.contains(dir);
    }

    /** The entry at an archive path from the index, remembered; null when there is none. */
    private Entry lookUp(String path) throws IOException {
        Entry entry = archive.lookup(path).orElse(null);
        if (entry != null) {
            remember(entry);
        }
        return entry;
    }

    /** Ends {@link #readAheadListings} early (at the next directory): the mount is going away. */
    void stopBackgroundWork() {
        stopping = true;
    }

    /**
     * Reads directory listings into memory, from the root down, within the listing budget (see
     * {@link ListingCache#readAhead}). Meant for a background thread once the mount is live.
     */
    void readAheadListings() {
        try {
            listings.readAhead(archive, () -> stopping);
        } catch (IOException | RuntimeException e) {
            log.debug("reading listings ahead: {}", e.toString()); // readdir lists from the index instead
        }
    }

    /**
     * Runs the callbacks a {@code find} or an epoch runs ({@code opendir}, the listing as
     * {@link FuseSession} asks for it, {@code releasedir}, {@code getattr}) over up to {@code limit}
     * entries, from the root down, without a mount: what the run that writes the launcher's
     * class-data archive does ({@link FuseMount#rehearse}), so that the classes they load are in it.
     * It reads only the index and changes nothing a request could see. (A live mount warms up
     * through {@link WarmUp}.)
     */
    void exerciseCallbacks(int limit) {
        FuseFileInfo fi = FuseFileInfo.of(jnr.ffi.Memory.allocateDirect(Runtime.getSystemRuntime(),
                Struct.size(new FuseFileInfo(Runtime.getSystemRuntime()) { }), true));
        FileStat stat = newStat();
        record Listed(String path, boolean directory) {
        }
        List<Listed> children = new ArrayList<>();
        String[] listing = {"/"};
        int[] seen = {0};
        DirentSink collect = (utf8, from, to, directory, ino, nextOffset) -> {
            if (seen[0] + children.size() >= limit) {
                return true; // as if the kernel's buffer were full: the listing stops here
            }
            String child = new String(utf8, from, to - from, StandardCharsets.UTF_8);
            if (!child.equals(".") && !child.equals("..")) {
                children.add(new Listed((listing[0].equals("/") ? "/" : listing[0] + "/") + child, directory));
            }
            return false;
        };
        ArrayDeque<String> dirs = new ArrayDeque<>(List.of("/"));
        while (!dirs.isEmpty() && seen[0] < limit) {
            listing[0] = dirs.poll();
            children.clear();
            int opened = opendir(listing[0], fi);
            if (opened == -ErrorCodes.ENOSYS()) {
                listUnopened(listing[0], 0, collect);
            } else if (opened == 0) {
                try {
                    list(openDirectories.get(fi.fh.get()), 0, collect);
                } finally {
                    releasedir(listing[0], fi);
                }
            }
            for (Listed child : children) {
                getattr(child.path(), stat);
                if (child.directory()) {
                    dirs.add(child.path());
                }
                seen[0]++;
            }
        }
    }

    @Override
    public int getattr(String path, FileStat stat) {
        try {
            Optional<Entry> entry = resolve(path);
            if (entry.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            fillStat(entry.get(), stat);
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("getattr", path, e);
        }
    }

    private void fillStat(Entry entry, FileStat stat) {
        attributes(entry, (ino, mode, nlink, size, blocks, uid, gid, mtimeNs, blksize) -> {
            stat.st_ino.set(ino);
            stat.st_mode.set(mode);
            stat.st_nlink.set(nlink);
            stat.st_size.set(size);
            stat.st_blocks.set(blocks);
            stat.st_uid.set(uid);
            stat.st_gid.set(gid);
            setTime(stat.st_mtim, mtimeNs);
            setTime(stat.st_atim, mtimeNs);
            setTime(stat.st_ctim, mtimeNs);
            stat.st_blksize.set(blksize);
        });
    }

    /** Takes what {@link #attributes} gives: the fields of a {@code struct stat}, the three times being one. */
    interface StatSink {
        void set(long ino, int mode, int nlink, long size, long blocks, long uid, long gid, long mtimeNs, int blksize);
    }

    /** What {@code stat} shows for {@code entry}, into {@code sink}. */
    void attributes(Entry entry, StatSink sink) {
        Attributes a = entry.attributes();
        long uid = overrides.uid(a.uid() != null ? a.uid() : defaults.uid());
        long gid = overrides.gid(a.gid() != null ? a.gid() : defaults.gid());
        long mtime = a.mtimeNs() != null ? a.mtimeNs() : defaults.mtimeNs();
        long ino = Inodes.of(entry.path());
        if (entry instanceof FileEntry f) {
            sink.set(ino, overrides.mode(FileStat.S_IFREG | a.permissionsOr(EntryDefaults.FILE_PERMISSIONS)), 1, f.size(),
                    (f.size() + 511) / 512, uid, gid, mtime, IO_BLOCK_SIZE);
        } else {
            DirEntry d = (DirEntry) entry;
            sink.set(ino, overrides.mode(FileStat.S_IFDIR | a.permissionsOr(EntryDefaults.DIR_PERMISSIONS)),
                    2 + (d.stats() == null ? 0 : (int) Math.min(Integer.MAX_VALUE - 2, Math.max(0, d.stats().numSubdirs()))),
                    BLOCK_SIZE, BLOCK_SIZE / 512, uid, gid, mtime, IO_BLOCK_SIZE);
        }
    }

    private static void setTime(Timespec t, long ns) {
        t.tv_sec.set(Math.floorDiv(ns, 1_000_000_000L));
        t.tv_nsec.set(Math.floorMod(ns, 1_000_000_000L));
    }

    // ---------------------------------------------------------------- files

    @Override
    public int open(String path, FuseFileInfo fi) {
        if (zeroMessageOpen) {
            return -ErrorCodes.ENOSYS(); // the kernel stops sending open and release (see class comment)
        }
        try {
            if ((fi.flags.get() & O_ACCMODE) != O_RDONLY) {
                return -ErrorCodes.EROFS();
            }
            Optional<Entry> entry = resolve(path);
            if (entry.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            if (!(entry.get() instanceof FileEntry file)) {
                return -ErrorCodes.EISDIR();
            }
            long handle = openHandle(file);
            fi.fh.set(handle);
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("open", path, e);
        }
    }

    /** A new handle to {@code file}, in the handle table until {@link #release}d. */
    private long openHandle(FileEntry file) throws IOException {
        ReadVerifier verifier = verifiers != null && ReadVerifier.applies(file) ? ReadVerifier.open(archive, file) : null;
        long handle = nextHandle.getAndIncrement();
        openFiles.put(handle, file);
        if (verifier != null) {
            verifiers.put(handle, verifier);
        }
        return handle;
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        FileEntry file;
        try {
            file = fileAt(path, fi.fh.get());
        } catch (IOException | RuntimeException | Error e) {
            return failure("read", path, e);
        }
        return read(file, fi.fh.get(), buf.address(), size, offset);
    }

    /**
     * Reads {@code file}, opened as {@code handle} (0: opened without a message), from {@code offset}
     * into the {@code size} bytes of native memory at {@code address}: the bytes read, 0 at the end,
     * or a negative errno.
     */
    private int read(FileEntry file, long handle, long address, long size, long offset) {
        if (file == null) {
            return -ErrorCodes.EBADF();
        }
        try {
            if (offset >= file.size()) {
                return 0;
            }
            int n = (int) Math.min(size, file.size() - offset);
            ByteBuffer target = MemoryIO.getInstance().newDirectByteBuffer(address, n);
            ReadVerifier verifier = verifiers == null ? null : verifiers.get(handle);
            return verifier == null ? archive.read(file, offset, target) : verifier.read(offset, target);
        } catch (IOException | RuntimeException | Error e) {
            return failure("read", file.path(), e);
        }
    }

    /**
     * The file a read is for: by handle when it has one, else by path (zero-message opens). Its
     * location is checked by {@link Archive#read}, once per read.
     */
    private FileEntry fileAt(String path, long handle) throws IOException {
        if (handle != 0) {
            return openFiles.get(handle);
        }
        return entryAt(path) instanceof FileEntry f ? f : null;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        release(fi.fh.get());
        return 0;
    }

    private void release(long handle) {
        openFiles.remove(handle);
        if (verifiers != null) {
            verifiers.remove(handle);
        }
    }

    // ---------------------------------------------------------------- directories

    @Override
    public int opendir(String path, FuseFileInfo fi) {
        lastOpened.remove();
        opendirCalls.incrementAndGet();
        if (zeroMessageOpendir) {
            return -ErrorCodes.ENOSYS(); // the kernel stops sending opendir and releasedir (see class comment)
        }
        try {
            Optional<Entry> entry = resolve(path);
            if (entry.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            if (!(entry.get() instanceof DirEntry dir)) {
                return -ErrorCodes.ENOTDIR();
            }
            long handle = nextHandle.getAndIncrement();
            OpenDirectory open = new OpenDirectory(dir.path(), listings.get(dir.path()));
            openDirectories.put(handle, open);
            lastOpened.set(open); // for DirectoryReplies.opened, which libfuse's reply to this request reaches next
            fi.fh.set(handle);
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("opendir", path, e);
        }
    }

    /**
     * Offsets: 1 is ".", 2 is "..", and child number {@code k} (from 0) is {@code k + 3}; the
     * offset given with an entry is the one of the entry after it. A request for the offset the
     * listing is at continues it; any other offset restarts the listing and skips forward.
     */
    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        OpenDirectory dir = openDirectories.get(fi.fh.get());
        if (dir == null) {
            return -ErrorCodes.EBADF();
        }
        return list(dir, offset, FILLERS.get().reset(filler, buf));
    }

    /** Where {@link #list} puts directory entries: libfuse's filler, or the kernel's reply itself. */
    interface DirentSink {
        /**
         * Adds the entry named {@code utf8[from..to)} (at most 255 bytes, checked by the listing); true
         * when the buffer is full and the entry was not taken.
         */
        boolean add(byte[] utf8, int from, int to, boolean directory, long ino, long nextOffset);
    }

    /**
     * What {@link FuseSession} needs to answer the requests about files itself, libfuse keeping no
     * node for them; null when the archive's files have no rows to name them by ({@link Archive#hasFileRows}).
     */
    FuseSession.FileReplies fileReplies() {
        if (!archive.hasFileRows()) {
            return null;
        }
        return new FuseSession.FileReplies() {
            @Override
            public Entry lookup(String fusePath) throws IOException {
                Entry entry = resolve(fusePath).orElse(null);
                if (entry instanceof FileEntry f) {
                    byRow[(int) f.row() & (ROW_SLOTS - 1)] = f;
                }
                return entry;
            }

            @Override
            public FileEntry file(long row) throws IOException {
                int slot = (int) row & (ROW_SLOTS - 1);
                FileEntry f = byRow[slot];
                if (f != null && f.row() == row) {
                    return f;
                }
                f = archive.file(row).orElse(null);
                if (f != null) {
                    byRow[slot] = f;
                }
                return f;
            }

            @Override
            public void attributes(Entry entry, StatSink sink) {
                BarecatFs.this.attributes(entry, sink);
            }

            @Override
            public long open(FileEntry file, int flags) {
                if (zeroMessageOpen) {
                    return -ErrorCodes.ENOSYS();
                }
                if ((flags & O_ACCMODE) != O_RDONLY) {
                    return -ErrorCodes.EROFS();
                }
                try {
                    return openHandle(file);
                } catch (IOException | RuntimeException | Error e) {
                    return failure("open", file.path(), e);
                }
            }

            @Override
            public int read(long row, long handle, long address, long size, long offset) {
                FileEntry file;
                try {
                    file = handle != 0 ? openFiles.get(handle) : file(row);
                } catch (IOException | RuntimeException | Error e) {
                    return failure("read", "file row " + row, e);
                }
                return BarecatFs.this.read(file, handle, address, size, offset);
            }

            @Override
            public void release(long handle) {
                BarecatFs.this.release(handle);
            }

            @Override
            public int getxattr(Entry entry, String name, Pointer value, long size) {
                return BarecatFs.getxattr(entry, name, value, size);
            }

            @Override
            public int listxattr(Entry entry, Pointer list, long size) {
                return BarecatFs.listxattr(entry, list, size);
            }

            @Override
            public int failure(String operation, String path, Throwable e) {
                return BarecatFs.this.failure(operation, path, e);
            }
        };
    }

    /** What {@link FuseSession} needs to answer READDIR itself, bypassing libfuse's filler. */
    FuseSession.DirectoryReplies directoryReplies() {
        return new FuseSession.DirectoryReplies() {
            @Override
            public void opened(long kernelHandle) {
                OpenDirectory dir = lastOpened.get();
                lastOpened.remove();
                if (dir != null) {
                    dir.kernelHandle = kernelHandle;
                    byKernelHandle.put(kernelHandle, dir);
                }
            }

            @Override
            public int readdir(long kernelHandle, long offset, DirentSink sink) {
                OpenDirectory dir = byKernelHandle.get(kernelHandle);
                return dir == null ? FuseSession.DirectoryReplies.UNKNOWN_HANDLE : list(dir, offset, sink);
            }

            @Override
            public boolean opensWithoutMessage() {
                return zeroMessageOpendir;
            }

            @Override
            public int readdir(String fusePath, long offset, DirentSink sink) {
                return listUnopened(fusePath, offset, sink);
            }
        };
    }

    /**
     * Lists the directory at {@code fusePath}, opened without a message, from {@code offset}: from
     * the listing cache, or else the listing that stopped at that offset ({@link #resumable}), or a
     * new one.
     */
    int listUnopened(String fusePath, long offset, DirentSink sink) {
        String path = ArchivePaths.normalize(fusePath);
        if (path == null) {
            return -ErrorCodes.ENOENT();
        }
        ListingCache.Listing held = listings.get(path);
        if (held != null) {
            return list(new OpenDirectory(path, held), offset, sink);
        }
        OpenDirectory dir;
        synchronized (resumable) {
            dir = resumable.remove(new Resume(path, offset));
        }
        if (dir == null) {
            dir = new OpenDirectory(path, null);
        }
        int result = list(dir, offset, sink);
        boolean more;
        try {
            more = result == 0 && dir.listing != null && dir.listing.peek() != null; // peeked already: no query
        } catch (IOException e) {
            more = false;
        }
        if (more) {
            synchronized (resumable) {
                resumable.put(new Resume(path, dir.nextOffset), dir);
            }
        }
        return result;
    }

    /** Calls of opendir so far. */
    long opendirCalls() {
        return opendirCalls.get();
    }

    /** Whether the listing of {@code dir} (an archive path, "" for the root) is held in memory (for tests). */
    boolean holdsListing(String dir) {
        return listings.get(dir) != null;
    }

    private int list(OpenDirectory dir, long offset, DirentSink fill) {
        synchronized (dir) {
            try {
                long next = offset;
                if (next < 1) {
                    if (fill.add(DOT, 0, 1, true, Inodes.of(dir.path), 1)) {
                        return 0;
                    }
                    next = 1;
                }
                if (next < 2) {
                    if (fill.add(DOT_DOT, 0, 2, true, Inodes.of(ArchivePaths.parent(dir.path)), 2)) {
                        return 0;
                    }
                    next = 2;
                }
                if (dir.held != null) {
                    ListingCache.Listing held = dir.held;
                    for (int i = (int) Math.min(Math.max(next, 3) - 3, held.size()); i < held.size(); i++) {
                        if (fill.add(held.names(), held.start(i), held.end(i), held.directory(i), held.inode(i), i + 4)) {
                            return 0;
                        }
                    }
                    return 0;
                }
                if (dir.listing == null || dir.nextOffset != Math.max(next, 3)) {
                    dir.listing = archive.listChildren(dir.path);
                    byte[] prefix = dir.listing.childPrefixUtf8();
                    dir.nameStart = prefix.length; // a listed child's name never holds a slash
                    dir.inodeState = Inodes.state(prefix);
                    dir.collected = next <= 3 ? listings.builder(dir.inodeState) : null;
                    dir.nextOffset = 3;
                    while (dir.nextOffset < next && dir.listing.take() != null) {
                        dir.nextOffset++;
                    }
                }
                for (Child c = dir.listing.peek(); c != null; c = dir.listing.peek()) {
                    byte[] p = c.utf8Path();
                    long ino = Inodes.of(dir.inodeState, p, dir.nameStart);
                    if (fill.add(p, dir.nameStart, p.length, c.directory(), ino, dir.nextOffset + 1)) {
                        return 0;
                    }
                    if (dir.collected != null && !dir.collected.add(p, dir.nameStart, c.directory())) {
                        dir.collected = null;
                    }
                    dir.listing.take();
                    dir.nextOffset++;
                }
                if (dir.collected != null) {
                    dir.collected.keep(dir.path);
                    dir.collected = null;
                }
                return 0;
            } catch (IOException | RuntimeException | Error e) {
                return failure("readdir", dir.path, e);
            }
        }
    }

    private static final byte[] DOT = {'.'};
    private static final byte[] DOT_DOT = {'.', '.'};
    private static final ThreadLocal<Filler> FILLERS = ThreadLocal.withInitial(Filler::new);

    /**
     * Adds entries to the kernel's readdir buffer through libfuse's filler, one FUSE thread's: the
     * name copied NUL-terminated into direct memory (passed to libfuse by address), the inode and
     * kind written into a {@code struct stat} in place.
     */
    private static final class Filler implements DirentSink {
        private final ByteBuffer name = ByteBuffer.allocateDirect(ArchivePaths.NAME_MAX + 1);
        private final FileStat stat = newStat();
        private final Pointer statMemory = Struct.getMemory(stat);
        private static final long INO_OFFSET = new FileStat(Runtime.getSystemRuntime()).st_ino.offset();
        private static final long MODE_OFFSET = new FileStat(Runtime.getSystemRuntime()).st_mode.offset();
        private FuseFillDir filler;
        private Pointer buf;

        Filler reset(FuseFillDir filler, Pointer buf) {
            this.filler = filler;
            this.buf = buf;
            return this;
        }

        @Override
        public boolean add(byte[] utf8, int from, int to, boolean directory, long ino, long nextOffset) {
            name.clear();
            name.put(utf8, from, to - from).put((byte) 0).flip();
            statMemory.putLong(INO_OFFSET, ino);
            statMemory.putInt(MODE_OFFSET, directory ? FileStat.S_IFDIR : FileStat.S_IFREG);
            return filler.apply(buf, name, statMemory, nextOffset) != 0;
        }
    }

    /** A zeroed {@code struct stat} in native memory, as libfuse passes one. */
    static FileStat newStat() {
        Runtime runtime = Runtime.getSystemRuntime();
        FileStat stat = new FileStat(runtime);
        return FileStat.of(jnr.ffi.Memory.allocateDirect(runtime, Struct.size(stat), true));
    }

    private void remember(Entry e) {
        if (entryCache.size() >= ENTRY_CACHE_LIMIT) {
            entryCache.clear();
            fetchedDirectories.clear();
        }
        entryCache.put(e.path(), e);
    }

    @Override
    public int releasedir(String path, FuseFileInfo fi) {
        OpenDirectory dir = openDirectories.remove(fi.fh.get());
        if (dir != null && dir.kernelHandle != 0) {
            byKernelHandle.remove(dir.kernelHandle, dir);
        }
        return 0;
    }

    // ---------------------------------------------------------------- file system

    @Override
    public int statfs(String path, Statvfs stbuf) {
        try {
            ArchiveStats s = archive.stats();
            stbuf.f_bsize.set(IO_BLOCK_SIZE);
            stbuf.f_frsize.set(BLOCK_SIZE);
            stbuf.f_blocks.set((s.shardBytes() + BLOCK_SIZE - 1) / BLOCK_SIZE);
            stbuf.f_bfree.set(0);
            stbuf.f_bavail.set(0);
            stbuf.f_files.set(s.fileCount() + s.dirCount());
            stbuf.f_ffree.set(0);
            stbuf.f_favail.set(0);
            stbuf.f_flag.set(ST_RDONLY);
            stbuf.f_namemax.set(ArchivePaths.NAME_MAX);
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("statfs", path, e);
        }
    }

    // ---------------------------------------------------------------- extended attributes

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        try {
            Optional<Entry> entry = resolve(path);
            return entry.isEmpty() ? -ErrorCodes.ENOENT() : getxattr(entry.get(), name, value, size);
        } catch (IOException | RuntimeException | Error e) {
            return failure("getxattr", path, e);
        }
    }

    private static int getxattr(Entry entry, String name, Pointer value, long size) {
        String text = xattr(entry, name);
        if (text == null) {
            return -ErrorCodes.ENODATA();
        }
        return copyOut(text.getBytes(StandardCharsets.UTF_8), value, size);
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        try {
            Optional<Entry> entry = resolve(path);
            return entry.isEmpty() ? -ErrorCodes.ENOENT() : listxattr(entry.get(), list, size);
        } catch (IOException | RuntimeException | Error e) {
            return failure("listxattr", path, e);
        }
    }

    private static int listxattr(Entry entry, Pointer list, long size) {
        StringBuilder names = new StringBuilder();
        for (String name : new String[] {XATTR_CRC32C, XATTR_SHARD, XATTR_OFFSET, XATTR_NUM_FILES_TREE,
                XATTR_SIZE_TREE}) {
            if (xattr(entry, name) != null) {
                names.append(name).append('\0');
            }
        }
        return copyOut(names.toString().getBytes(StandardCharsets.UTF_8), list, size);
    }

    /** The value of extended attribute {@code name} of {@code entry}, or null when it has none. */
    private static String xattr(Entry entry, String name) {
        if (entry instanceof FileEntry f) {
            return switch (name) {
                case XATTR_CRC32C -> f.crc32c() == null ? null : String.format("%08x", f.crc32c());
                case XATTR_SHARD -> Integer.toString(f.location().shard());
                case XATTR_OFFSET -> Long.toString(f.location().offset());
                default -> null;
            };
        }
        DirEntry d = (DirEntry) entry;
        if (d.stats() == null) {
            return null;
        }
        return switch (name) {
            case XATTR_NUM_FILES_TREE -> Long.toString(d.stats().numFilesTree());
            case XATTR_SIZE_TREE -> Long.toString(d.stats().sizeTree());
            default -> null;
        };
    }

    /** getxattr/listxattr size protocol: 0 asks for the length, too small a buffer is ERANGE. */
    private static int copyOut(byte[] bytes, Pointer target, long size) {
        if (size == 0) {
            return bytes.length;
        }
        if (size < bytes.length) {
            return -ErrorCodes.ERANGE();
        }
        target.put(0, bytes, 0, bytes.length);
        return bytes.length;
    }

    // ---------------------------------------------------------------- writes: all refused

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int mkdir(String path, long mode) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int mknod(String path, long mode, long rdev) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int unlink(String path) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int rmdir(String path) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int rename(String oldpath, String newpath) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int symlink(String oldpath, String newpath) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int link(String oldpath, String newpath) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int truncate(String path, long size) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int chmod(String path, long mode) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int setxattr(String path, String name, Pointer value, long size, int flags) {
        return -ErrorCodes.EROFS();
    }

    @Override
    public int removexattr(String path, String name) {
        return -ErrorCodes.EROFS();
    }

    // ---------------------------------------------------------------- errors

    /**
     * Maps a failure to EIO, logging it once per path so a retrying reader cannot flood the log. Errors
     * (out of memory, stack overflow) are caught too: what the kernel gets from a callback that throws
     * into native code is not an errno this class chose, and 0 from read would mean end of file.
     */
    private int failure(String operation, String path, Throwable e) {
        if (reportedFailures.size() < REPORTED_FAILURES_LIMIT && reportedFailures.add(path)) {
            log.error("{} {}: {}", operation, path, e.toString());
        }
        return -ErrorCodes.EIO();
    }
}
