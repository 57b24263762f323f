package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveView;
import org.barecat.core.ArchivePaths;
import org.barecat.core.ArchiveStats;
import org.barecat.core.Attributes;
import org.barecat.core.Child;
import org.barecat.core.DirEntry;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.Listing;
import org.barecat.core.ReadVerifier;
import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Errno;
import org.barecat.fuse.kernel.Filesystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An archive, or several ({@link org.barecat.core.ArchiveUnion}), as the kernel sees it through FUSE:
 * each request is one fs-core call, its answer typed into the reply. Node ids come from {@link Nodes}.
 * <ul>
 *   <li>Files and directories open without a message where the kernel supports it: {@code open}
 *       and {@code opendir} answer {@code ENOSYS} once, and the kernel then opens them itself and
 *       keeps their pages and listings cached. A read finds its file by the rowid its node id carries,
 *       through {@link #byRow} that the lookup before it filled (no SQL), and reads straight into the
 *       reply. With {@code verify}, or on kernels without zero-message opens, opens hand out handles.</li>
 *   <li>{@code readdir} serves a listing held in memory ({@link ListingCache}), or streams names from
 *       the index ({@link Archive#listChildren}) and resumes at the offset the kernel passes back;
 *       READDIRPLUS streams whole rows ({@link Archive#list}) and names every entry's node.</li>
 *   <li>A file whose row cannot give its bytes ({@link Archive#checkLocation}) answers {@code EIO} to
 *       lookup, getattr and read; with {@code verify}, so does the read that reaches the end of a file
 *       whose bytes do not have the stored CRC-32C.</li>
 * </ul>
 */
public final class ArchiveFilesystem implements Filesystem {
    private static final Logger log = LoggerFactory.getLogger(ArchiveFilesystem.class);
    private static final int O_ACCMODE = 03;
    private static final int O_RDONLY = 0;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int BLOCK_SIZE = 4096;
    /** Preferred I/O size shown in st_blksize, so readers ask for large reads. */
    private static final int IO_BLOCK_SIZE = 128 * 1024;
    /** Rows kept by path for the lookups, getattrs and reads that follow a lookup or a listing: some 8 MB at most. */
    private static final int ENTRY_CACHE_LIMIT = 32_768;
    /** Most rows one directory's fetch puts in the entry cache (see {@link #entryAt}). */
    private static final int SIBLING_ROWS_LIMIT = 4_096;
    /** Slots of {@link #byRow}, a power of two: a directory's files (consecutive rows) share none. */
    private static final int ROW_SLOTS = 4_096;
    /** Listings that stopped short of their end, kept for the READDIR that goes on (no RELEASEDIR says when a reader left). */
    private static final int RESUMABLE_LIMIT = 64;
    private static final int REPORTED_FAILURES_LIMIT = 10_000;

    static final String XATTR_CRC32C = "user.barecat.crc32c";
    static final String XATTR_SHARD = "user.barecat.shard";
    static final String XATTR_OFFSET = "user.barecat.offset";
    /** In a mount of several archives: the index of the one a file is stored in (shard and offset are in its shards). */
    static final String XATTR_ARCHIVE = "user.barecat.archive";
    static final String XATTR_NUM_FILES_TREE = "user.barecat.num_files_tree";
    static final String XATTR_SIZE_TREE = "user.barecat.size_tree";
    private static final byte[] DOT = {'.'};
    private static final byte[] DOT_DOT = {'.', '.'};

    /** How long the kernel may keep names, attributes and "no such entry" answers, in seconds. */
    record Timeouts(double entry, double attr, double negative) {
    }

    private final ArchiveView archive;
    private final EntryDefaults defaults;
    private final MountOptions.Overrides overrides;
    private final Timeouts timeouts;
    private final boolean verify;
    /** {@code direct_io}: files open with handles and bypass the page cache, so every read comes here. */
    private final boolean directIo;
    private final Nodes nodes = new Nodes();
    private volatile Capabilities capabilities = new Capabilities(Abi.MINOR, false, false, false, 128 * 1024);
    private final ListingCache listings = new ListingCache(ListingCache.DEFAULT_BUDGET);
    private volatile boolean stopping;

    /** Rows recently looked up or listed, by archive path; emptied when it reaches its limit. */
    private final Map<String, Entry> entryCache = new ConcurrentHashMap<>();
    /** Directories whose rows were all fetched into the entry cache since it was last emptied. */
    private final Set<String> fetchedDirectories = ConcurrentHashMap.newKeySet();
    /** The directory of the last path the entry cache missed. */
    private volatile String lastMissDirectory;
    /**
     * Files by rowid ({@link #ROW_SLOTS}), for the requests that name a file by its row's node id.
     * Written and read without locks: a slot holds an immutable entry or null, and a reader checks the row.
     */
    private final FileEntry[] byRow = new FileEntry[ROW_SLOTS];

    private final AtomicLong nextHandle = new AtomicLong(1);
    private final Map<Long, FileEntry> openFiles = new ConcurrentHashMap<>();
    /** Checksum state per open handle under {@code verify}. */
    private final Map<Long, ReadVerifier> verifiers = new ConcurrentHashMap<>();
    private final Map<Long, OpenDirectory> openDirectories = new ConcurrentHashMap<>();
    /** Listings of directories opened without a message that stopped short, by where they go on. */
    private final Map<Resume, OpenDirectory> resumable = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Resume, OpenDirectory> eldest) {
            return size() > RESUMABLE_LIMIT;
        }
    };
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

    private record Resume(String path, long offset, boolean plus) {
    }

    /**
     * One listing in progress: held in memory, or streaming from the index (names, or whole rows for
     * READDIRPLUS) with the offset its next child has and what it collected for the listing cache.
     */
    private static final class OpenDirectory {
        final String path;
        final ListingCache.Listing held;
        Listing<Child> names;
        Listing<Entry> entries;
        ListingCache.Builder collected;
        int nameStart;
        long inodeState;
        long nextOffset;

        OpenDirectory(String path, ListingCache.Listing held) {
            this.path = path;
            this.held = held;
        }
    }

    ArchiveFilesystem(ArchiveView archive, EntryDefaults defaults, MountOptions.Overrides overrides, Timeouts timeouts,
                      boolean verify) {
        this(archive, defaults, overrides, timeouts, verify, false);
    }

    ArchiveFilesystem(ArchiveView archive, EntryDefaults defaults, MountOptions.Overrides overrides, Timeouts timeouts,
                      boolean verify, boolean directIo) {
        this.archive = archive;
        this.defaults = defaults;
        this.overrides = overrides;
        this.timeouts = timeouts;
        this.verify = verify;
        this.directIo = directIo;
    }

    @Override
    public void init(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    // ---------------------------------------------------------------- names

    @Override
    public int lookup(long parent, byte[] name, EntryOut out) {
        String dir = directoryPath(parent);
        String path = null;
        try {
            if (dir == null) {
                return -Errno.ENOENT;
            }
            String child = nameOf(name);
            Entry entry = null;
            if (child != null) {
                path = ArchivePaths.child(dir, child);
                entry = entryAt(path);
            }
            if (entry == null) {
                if (timeouts.negative() > 0) {
                    out.negative(timeouts.negative());
                    return 0;
                }
                return -Errno.ENOENT;
            }
            if (entry instanceof FileEntry f) {
                archive.checkLocation(f);
            }
            long node = nodeOf(entry);
            attributes(entry, out.entry(node, timeouts.entry(), timeouts.attr()));
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("lookup", path == null ? dir + "/" + new String(name, StandardCharsets.UTF_8) : path, e);
        }
    }

    /** The node id for {@code entry}, counting one lookup of it (see {@link Nodes}). */
    private long nodeOf(Entry entry) {
        if (entry instanceof FileEntry f && Nodes.rowFits(f.row())) {
            byRow[(int) f.row() & (ROW_SLOTS - 1)] = f;
            return Nodes.ofRow(f.row());
        }
        return nodes.hold(entry.path(), entry instanceof DirEntry);
    }

    /** A name from the kernel as archive text: null when it is not valid UTF-8 or no entry could have it. */
    private static String nameOf(byte[] name) {
        String s = new String(name, StandardCharsets.UTF_8);
        for (byte b : name) {
            if (b < 0) {
                return Arrays.equals(s.getBytes(StandardCharsets.UTF_8), name) && ArchivePaths.isValidName(s) ? s : null;
            }
        }
        return ArchivePaths.isValidName(s) ? s : null;
    }

    @Override
    public void forget(long node, long lookups) {
        if (!Nodes.isFileRow(node)) {
            nodes.forget(node, lookups);
        }
    }

    /** The path of directory node {@code node}, or null when it is not a directory held. */
    private String directoryPath(long node) {
        Nodes.Held h = Nodes.isFileRow(node) ? null : nodes.get(node);
        return h != null && h.directory ? h.path : null;
    }

    /**
     * The entry at {@code path}, from the entry cache or the index, or null. A second miss in a row in
     * the same directory fetches the rows of all its children, once until the cache is emptied, when
     * its {@code dirs} row counts at most {@link #SIBLING_ROWS_LIMIT} of them: {@code ls -l},
     * {@code du}, {@code rsync} and {@code tar} stat a directory's children one after another, and
     * listing a directory's rows costs about what a few lookups do.
     */
    private Entry entryAt(String path) throws IOException {
        Entry entry = entryCache.get(path);
        if (entry != null) {
            return entry;
        }
        if (!path.isEmpty()) {
            String dir = ArchivePaths.parent(path);
            if (dir.equals(lastMissDirectory) && isSmall(entryCache.get(dir)) && fetchedDirectories.add(dir)) {
                Listing<Entry> children = archive.list(dir);
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
        entry = archive.lookup(path).orElse(null);
        if (entry != null) {
            remember(entry);
        }
        return entry;
    }

    private static boolean isSmall(Entry dir) {
        return dir instanceof DirEntry d && d.stats() != null
                && d.stats().numFiles() + d.stats().numSubdirs() <= SIBLING_ROWS_LIMIT;
    }

    private void remember(Entry e) {
        if (entryCache.size() >= ENTRY_CACHE_LIMIT) {
            entryCache.clear();
            fetchedDirectories.clear();
        }
        entryCache.put(e.path(), e);
    }

    /** Whether the rows of {@code dir}'s children were fetched together since the entry cache was last emptied (for tests). */
    boolean fetchedRowsOf(String dir) {
        return fetchedDirectories.contains(dir);
    }

    /** The entry node {@code node} names, or null when there is none. */
    private Entry entryOf(long node) throws IOException {
        if (Nodes.isFileRow(node)) {
            return fileOfRow(Nodes.rowOf(node));
        }
        Nodes.Held h = nodes.get(node);
        return h == null ? null : entryAt(h.path);
    }

    private FileEntry fileOfRow(long row) throws IOException {
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

    // ---------------------------------------------------------------- attributes

    @Override
    public int getattr(long node, AttrOut out) {
        try {
            Entry entry = entryOf(node);
            if (entry == null) {
                return -Errno.ENOENT;
            }
            if (entry instanceof FileEntry f) {
                archive.checkLocation(f);
            }
            attributes(entry, out.attr(timeouts.attr()));
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("getattr", describe(node), e);
        }
    }

    /** What {@code stat} shows for {@code entry}: the stored metadata, else the defaults, then the overrides. */
    void attributes(Entry entry, Attr attr) {
        Attributes a = entry.attributes();
        long uid = overrides.uid(a.uid() != null ? a.uid() : defaults.uid());
        long gid = overrides.gid(a.gid() != null ? a.gid() : defaults.gid());
        long mtime = a.mtimeNs() != null ? a.mtimeNs() : defaults.mtimeNs();
        long ino = Inodes.of(entry.path());
        if (entry instanceof FileEntry f) {
            attr.set(ino, overrides.mode(S_IFREG | a.permissionsOr(EntryDefaults.FILE_PERMISSIONS)), 1, f.size(),
                    (f.size() + 511) / 512, uid, gid, mtime, IO_BLOCK_SIZE);
        } else {
            DirEntry d = (DirEntry) entry;
            int subdirs = d.stats() == null ? 0 : (int) Math.min(Integer.MAX_VALUE - 2, Math.max(0, d.stats().numSubdirs()));
            attr.set(ino, overrides.mode(S_IFDIR | a.permissionsOr(EntryDefaults.DIR_PERMISSIONS)), 2 + subdirs,
                    BLOCK_SIZE, BLOCK_SIZE / 512, uid, gid, mtime, IO_BLOCK_SIZE);
        }
    }

    // ---------------------------------------------------------------- files

    @Override
    public int open(long node, int flags, OpenOut out) {
        if (capabilities.noOpen() && !verify && !directIo) {
            return -Errno.ENOSYS; // the kernel opens files itself from now on, keeping their pages
        }
        try {
            if ((flags & O_ACCMODE) != O_RDONLY) {
                return -Errno.EROFS;
            }
            Entry entry = entryOf(node);
            if (entry == null) {
                return -Errno.ENOENT;
            }
            if (!(entry instanceof FileEntry file)) {
                return -Errno.EISDIR;
            }
            archive.checkLocation(file);
            long handle = nextHandle.getAndIncrement();
            if (verify && ReadVerifier.applies(file)) {
                verifiers.put(handle, ReadVerifier.open(archive, file));
            }
            openFiles.put(handle, file);
            // the archive never changes: pages stay valid (unless they are not to be kept at all)
            out.open(handle, directIo ? Abi.FOPEN_DIRECT_IO : Abi.FOPEN_KEEP_CACHE);
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("open", describe(node), e);
        }
    }

    /**
     * A read of a whole file at least this large goes around the page cache ({@link Archive#readWhole}):
     * the kernel keeps the file's pages in the mount's own cache, and a second copy in the shard's would
     * only take memory, and a copy to make. Smaller files are read with their neighbours
     * ({@code ShardReadAround}), and larger ones in pieces, where the shard's readahead pays.
     */
    static final int WHOLE_FILE_AROUND_CACHE = 64 * 1024;

    @Override
    public int read(long node, long handle, long offset, int size, DataOut out) {
        FileEntry file = null;
        try {
            if (handle != 0) {
                file = openFiles.get(handle);
            } else if (entryOf(node) instanceof FileEntry f) {
                file = f;
            }
            if (file == null) {
                return -Errno.EBADF;
            }
            if (offset >= file.size() || offset < 0) {
                return 0;
            }
            ReadVerifier verifier = handle == 0 ? null : verifiers.get(handle);
            if (verifier == null && offset == 0 && size >= file.size() && file.size() >= WHOLE_FILE_AROUND_CACHE) {
                int start = archive.readWhole(file, out.alignedRoom((int) file.size()));
                if (start >= 0) {
                    out.from(start);
                    return (int) file.size();
                }
            }
            ByteBuffer dst = out.room(size);
            return verifier == null ? archive.read(file, offset, dst) : verifier.read(offset, dst);
        } catch (IOException | RuntimeException | Error e) {
            return failure("read", file == null ? describe(node) : file.path(), e);
        }
    }

    @Override
    public void release(long node, long handle) {
        openFiles.remove(handle);
        verifiers.remove(handle);
    }

    // ---------------------------------------------------------------- directories

    @Override
    public int opendir(long node, int flags, OpenOut out) {
        if (capabilities.noOpendir()) {
            return -Errno.ENOSYS; // the kernel opens directories itself from now on, keeping their listings
        }
        String path = directoryPath(node);
        if (path == null) {
            return Nodes.isFileRow(node) || nodes.get(node) != null ? -Errno.ENOTDIR : -Errno.ENOENT;
        }
        long handle = nextHandle.getAndIncrement();
        openDirectories.put(handle, new OpenDirectory(path, listings.get(path)));
        out.open(handle, Abi.FOPEN_KEEP_CACHE | Abi.FOPEN_CACHE_DIR);
        return 0;
    }

    @Override
    public void releasedir(long node, long handle) {
        openDirectories.remove(handle);
    }

    /**
     * Offsets: 1 is ".", 2 is "..", and child number {@code k} (from 0) is {@code k + 3}; the offset
     * given with an entry is the one of the entry after it. A request for the offset a listing is at
     * continues it; any other offset restarts it and skips forward.
     */
    @Override
    public int readdir(long node, long handle, long offset, DirectoryOut out) {
        if (handle != 0) {
            OpenDirectory dir = openDirectories.get(handle);
            return dir == null ? -Errno.EBADF : list(dir, offset, out);
        }
        String path = directoryPath(node);
        if (path == null) {
            return -Errno.ENOENT;
        }
        ListingCache.Listing held = out.plus() ? null : listings.get(path);
        if (held != null) {
            return list(new OpenDirectory(path, held), offset, out);
        }
        OpenDirectory dir;
        synchronized (resumable) {
            dir = resumable.remove(new Resume(path, offset, out.plus()));
        }
        if (dir == null) {
            dir = new OpenDirectory(path, null);
        }
        int result = list(dir, offset, out);
        if (result == 0 && hasMore(dir)) {
            synchronized (resumable) {
                resumable.put(new Resume(path, dir.nextOffset, out.plus()), dir);
            }
        }
        return result;
    }

    private static boolean hasMore(OpenDirectory dir) {
        try { // peeked already: no query
            return dir.names != null ? dir.names.peek() != null : dir.entries != null && dir.entries.peek() != null;
        } catch (IOException e) {
            return false;
        }
    }

    private int list(OpenDirectory dir, long offset, DirectoryOut out) {
        synchronized (dir) {
            try {
                long next = offset;
                if (next < 1) {
                    if (!addDot(out, DOT, Inodes.of(dir.path), 1)) {
                        return 0;
                    }
                    next = 1;
                }
                if (next < 2) {
                    if (!addDot(out, DOT_DOT, Inodes.of(ArchivePaths.parent(dir.path)), 2)) {
                        return 0;
                    }
                    next = 2;
                }
                if (out.plus()) {
                    listEntries(dir, Math.max(next, 3), out);
                } else if (dir.held != null) {
                    ListingCache.Listing held = dir.held;
                    for (int i = (int) Math.min(Math.max(next, 3) - 3, held.size()); i < held.size(); i++) {
                        int type = held.directory(i) ? Abi.DT_DIR : Abi.DT_REG;
                        if (!out.add(held.names(), held.start(i), held.end(i), held.inode(i), type, i + 4)) {
                            break;
                        }
                    }
                } else {
                    listNames(dir, Math.max(next, 3), out);
                }
                return 0;
            } catch (IOException | RuntimeException | Error e) {
                return failure("readdir", dir.path, e);
            }
        }
    }

    private static boolean addDot(DirectoryOut out, byte[] name, long ino, long nextOffset) {
        if (!out.plus()) {
            return out.add(name, 0, name.length, ino, Abi.DT_DIR, nextOffset);
        }
        Attr attr = out.addPlus(name, 0, name.length, ino, Abi.DT_DIR, nextOffset, 0, 0, 0);
        if (attr != null) {
            attr.set(ino, S_IFDIR, 2, 0, 0, 0, 0, 0, 0); // not linked by the kernel: no node, no attributes kept
        }
        return attr != null;
    }

    /** Streams names from the index from offset {@code next}, collecting them for the listing cache when it started at the beginning. */
    private void listNames(OpenDirectory dir, long next, DirectoryOut out) throws IOException {
        if (dir.names == null || dir.nextOffset != next) {
            dir.entries = null;
            dir.names = archive.listChildren(dir.path);
            byte[] prefix = dir.names.childPrefixUtf8();
            dir.nameStart = prefix.length; // a listed child's name never holds a slash
            dir.inodeState = Inodes.state(prefix);
            dir.collected = next <= 3 ? listings.builder(dir.inodeState) : null;
            dir.nextOffset = 3;
            while (dir.nextOffset < next && dir.names.take() != null) {
                dir.nextOffset++;
            }
        }
        for (Child c = dir.names.peek(); c != null; c = dir.names.peek()) {
            byte[] p = c.utf8Path();
            long ino = Inodes.of(dir.inodeState, p, dir.nameStart);
            if (!out.add(p, dir.nameStart, p.length, ino, c.directory() ? Abi.DT_DIR : Abi.DT_REG, dir.nextOffset + 1)) {
                return;
            }
            if (dir.collected != null && !dir.collected.add(p, dir.nameStart, c.directory())) {
                dir.collected = null;
            }
            dir.names.take();
            dir.nextOffset++;
        }
        if (dir.collected != null) {
            dir.collected.keep(dir.path);
            dir.collected = null;
        }
    }

    /**
     * READDIRPLUS: streams whole rows from offset {@code next}; each entry names its node (counting a
     * lookup, as the kernel counts one for it) and carries its attributes, and its row is kept for
     * the requests that follow.
     */
    private void listEntries(OpenDirectory dir, long next, DirectoryOut out) throws IOException {
        if (dir.entries == null || dir.nextOffset != next) {
            dir.names = null;
            dir.collected = null;
            dir.entries = archive.list(dir.path);
            dir.nameStart = dir.entries.childPrefixUtf8().length;
            dir.nextOffset = 3;
            while (dir.nextOffset < next && dir.entries.take() != null) {
                dir.nextOffset++;
            }
        }
        for (Entry e = dir.entries.peek(); e != null; e = dir.entries.peek()) {
            byte[] p = e.path().getBytes(StandardCharsets.UTF_8);
            boolean directory = e instanceof DirEntry;
            if (e instanceof FileEntry f) {
                try {
                    archive.checkLocation(f);
                } catch (IOException bad) { // listed without a node: its lookup answers EIO
                    Attr attr = out.addPlus(p, dir.nameStart, p.length, Inodes.of(e.path()), Abi.DT_REG,
                            dir.nextOffset + 1, 0, 0, 0);
                    if (attr == null) {
                        return;
                    }
                    attr.set(Inodes.of(e.path()), S_IFREG, 1, 0, 0, 0, 0, 0, 0);
                    dir.entries.take();
                    dir.nextOffset++;
                    continue;
                }
            }
            long node = nodeOf(e);
            Attr attr = out.addPlus(p, dir.nameStart, p.length, Inodes.of(e.path()), directory ? Abi.DT_DIR : Abi.DT_REG,
                    dir.nextOffset + 1, node, timeouts.entry(), timeouts.attr());
            if (attr == null) {
                forget(node, 1); // not sent: not counted
                return;
            }
            attributes(e, attr);
            remember(e);
            dir.entries.take();
            dir.nextOffset++;
        }
    }

    // ---------------------------------------------------------------- the file system

    @Override
    public int statfs(long node, StatfsOut out) {
        try {
            ArchiveStats s = archive.stats();
            out.statfs((s.shardBytes() + BLOCK_SIZE - 1) / BLOCK_SIZE, 0, 0, s.fileCount() + s.dirCount(), 0,
                    IO_BLOCK_SIZE, ArchivePaths.NAME_MAX, BLOCK_SIZE);
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("statfs", "/", e);
        }
    }

    @Override
    public int getxattr(long node, String name, XattrOut out) {
        try {
            Entry entry = entryOf(node);
            if (entry == null) {
                return -Errno.ENOENT;
            }
            String value = xattr(entry, name);
            if (value == null) {
                return -Errno.ENODATA;
            }
            out.value(value.getBytes(StandardCharsets.UTF_8));
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("getxattr", describe(node), e);
        }
    }

    @Override
    public int listxattr(long node, XattrOut out) {
        try {
            Entry entry = entryOf(node);
            if (entry == null) {
                return -Errno.ENOENT;
            }
            StringBuilder names = new StringBuilder();
            for (String name : new String[] {XATTR_CRC32C, XATTR_ARCHIVE, XATTR_SHARD, XATTR_OFFSET,
                    XATTR_NUM_FILES_TREE, XATTR_SIZE_TREE}) {
                if (xattr(entry, name) != null) {
                    names.append(name).append('\0');
                }
            }
            out.value(names.toString().getBytes(StandardCharsets.UTF_8));
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            return failure("listxattr", describe(node), e);
        }
    }

    /** The value of extended attribute {@code name} of {@code entry}, or null when it has none. */
    private String xattr(Entry entry, String name) {
        if (entry instanceof FileEntry f) {
            ArchiveView.Origin origin = archive.origin(f);
            return switch (name) {
                case XATTR_CRC32C -> f.crc32c() == null ? null : String.format("%08x", f.crc32c());
                case XATTR_ARCHIVE -> origin.archive() == null || origin.archive() == archive ? null
                        : origin.archive().name();
                case XATTR_SHARD -> Integer.toString(origin.location().shard());
                case XATTR_OFFSET -> Long.toString(origin.location().offset());
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

    // ---------------------------------------------------------------- background work

    /**
     * Reads directory listings into memory, from the root down, within the listing budget (see
     * {@link ListingCache#readAhead}); for a background thread once the mount is live.
     */
    void readAheadListings() {
        try {
            listings.readAhead(archive, () -> stopping);
        } catch (IOException | RuntimeException e) {
            log.debug("reading listings ahead: {}", e.toString()); // readdir lists from the index instead
        }
    }

    /** Ends {@link #readAheadListings} early (at the next directory): the mount is going away. */
    void stopBackgroundWork() {
        stopping = true;
    }

    /** Whether the listing of {@code dir} is held in memory (for tests). */
    boolean holdsListing(String dir) {
        return listings.get(dir) != null;
    }

    /** Nodes held for the kernel, the root among them (for tests). */
    int nodesHeld() {
        return nodes.size();
    }

    // ---------------------------------------------------------------- errors

    private String describe(long node) {
        if (Nodes.isFileRow(node)) {
            return "file row " + Nodes.rowOf(node);
        }
        Nodes.Held h = nodes.get(node);
        return h == null ? "node " + node : h.path.isEmpty() ? "/" : h.path;
    }

    /**
     * Maps a failure to EIO, logging it once per path so a retrying reader cannot flood the log.
     * Errors (out of memory, stack overflow) are caught too: 0 from a read would mean end of file.
     */
    private int failure(String operation, String path, Throwable e) {
        if (reportedFailures.size() < REPORTED_FAILURES_LIMIT && reportedFailures.add(path)) {
            log.error("{} {}: {}", operation, path, e.toString());
        }
        return -Errno.EIO;
    }
}
