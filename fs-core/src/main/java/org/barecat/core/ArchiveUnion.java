package org.barecat.core;

import org.barecat.core.internal.IndexRows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Several archives shown as one tree, as a mount of several archives shows them: merged (directories
 * merge; on a path several archives have, the last one named wins: its file, or its directory with its
 * attributes and statistics), or each archive under its own name ({@link #subdirs}).
 * <p>
 * Nothing is held per file: a lookup asks the archives from the last one back until one has the path
 * (for the last two directories looked through child after child, one listing says which archive has
 * each child, up to a limit); a listing streams each archive's listing of the directory in turn, from
 * the last one back, leaving out the children a later archive gave (kept by name up to a limit, then
 * looked up in each later archive that has the directory). Each archive's shards are numbered after
 * the previous archives' in {@link FileEntry#location}, and its rowids interleaved with theirs in
 * {@link FileEntry#row}, so reads and {@link #file(long)} go straight to the archive that holds the
 * file. Closing the union closes the archives.
 */
public final class ArchiveUnion implements ArchiveView {
    private final List<Archive> members;
    /** Each member's directory under {@code subdirs}, as a child prefix ({@code name/}); null when merged. */
    private final String[] prefixes;
    private final Map<String, Integer> byName = new HashMap<>();
    /** Where each member's shards start in the union's numbering. */
    private final int[] shardBase;
    private final int[] memberOfShard;
    private volatile ArchiveStats stats;

    private ArchiveUnion(List<Archive> members, String[] prefixes) {
        this.members = List.copyOf(members);
        this.prefixes = prefixes;
        this.shardBase = new int[members.size()];
        int total = 0;
        for (int i = 0; i < members.size(); i++) {
            shardBase[i] = total;
            total = Math.addExact(total, members.get(i).shards().count());
        }
        this.memberOfShard = new int[total];
        for (int i = 0; i < members.size(); i++) {
            Arrays.fill(memberOfShard, shardBase[i], shardBase[i] + members.get(i).shards().count(), i);
        }
    }

    /** {@code members} merged into one tree; the last one named wins a path several have. */
    public static ArchiveUnion merged(List<Archive> members) {
        requireSome(members);
        return new ArchiveUnion(members, null);
    }

    /**
     * Each of {@code members} in a directory of its own under the root, named by {@link #subdirName}.
     *
     * @throws IOException naming both archives when two would have the same name
     */
    public static ArchiveUnion subdirs(List<Archive> members) throws IOException {
        requireSome(members);
        String[] prefixes = new String[members.size()];
        Map<String, Archive> seen = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            Archive a = members.get(i);
            String name = subdirName(a.name());
            Archive before = seen.putIfAbsent(name, a);
            if (before != null || !ArchivePaths.isValidName(name)) {
                throw new IOException(a.name() + ": " + (before == null ? "its name cannot be a directory's"
                        : "would be shown as " + name + "/, as " + before.name() + " is"));
            }
            prefixes[i] = name + "/";
        }
        ArchiveUnion union = new ArchiveUnion(members, prefixes);
        for (int i = 0; i < prefixes.length; i++) {
            union.byName.put(prefixes[i].substring(0, prefixes[i].length() - 1), i);
        }
        return union;
    }

    /**
     * What a mount or server of {@code archives} reads: the one archive itself (no union of one), each
     * under its own name when {@code subdirs}, else merged; when {@code refuseConflicts}, merged only if
     * no two have a path not both as directories (see {@link #firstConflict}, which this then runs).
     *
     * @throws ConflictException naming the first such path and the two archives
     * @throws IOException       as {@link #subdirs} does
     */
    public static ArchiveView of(List<Archive> archives, boolean subdirs, boolean refuseConflicts) throws IOException {
        if (subdirs) {
            return subdirs(archives);
        }
        if (archives.size() == 1) {
            return archives.get(0);
        }
        if (refuseConflicts) {
            Optional<Conflict> c = firstConflict(archives);
            if (c.isPresent()) {
                throw new ConflictException(c.get());
            }
        }
        return merged(archives);
    }

    /** Two archives have a path not both as directories: {@code PATH: in A and B}. */
    public static final class ConflictException extends IOException {
        private final transient Conflict conflict;

        ConflictException(Conflict c) {
            super(c.path() + ": in " + c.first().name() + " and " + c.second().name());
            this.conflict = c;
        }

        public Conflict conflict() {
            return conflict;
        }
    }

    private static void requireSome(List<Archive> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a union of no archives");
        }
    }

    /**
     * The directory an archive named {@code archiveName} (its index's path or URL) is shown as under
     * {@link #subdirs}: the file name without {@code .barecat} (or the legacy {@code .barecat-sqlite-index}).
     */
    public static String subdirName(String archiveName) {
        String name = archiveName.substring(archiveName.lastIndexOf('/') + 1);
        for (String suffix : new String[] {"-sqlite-index", ".barecat"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** A path two archives both have, not both as directories: {@code first} is named before {@code second}. */
    public record Conflict(String path, Archive first, Archive second) {
    }

    /**
     * The first path (in index order) that two of {@code members} both have, not both as directories: a
     * file in one and a file or a directory (with a row, or only below which entries lie) in another.
     * One pass over every member's rows in path order, a page of each in memory: it takes time with the
     * archives' sizes.
     */
    public static Optional<Conflict> firstConflict(List<Archive> members) throws IOException {
        record Head(Entry entry, int member, IndexScan scan) {
        }
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
            int c = IndexRows.compareUtf8(a.entry.path(), b.entry.path());
            return c != 0 ? c : Integer.compare(a.member, b.member);
        });
        for (int i = 0; i < members.size(); i++) {
            IndexScan scan = IndexScan.below(members.get(i), "");
            Entry e = scan.next();
            if (e != null) {
                heads.add(new Head(e, i, scan));
            }
        }
        // files whose path the current one may lie below: each one's descendants sort between it and it + "0"
        ArrayDeque<Head> files = new ArrayDeque<>();
        List<Head> group = new ArrayList<>();
        while (!heads.isEmpty()) {
            group.clear();
            String path = heads.peek().entry.path();
            while (!heads.isEmpty() && heads.peek().entry.path().equals(path)) {
                Head h = heads.poll();
                group.add(h);
                Entry next = h.scan.next();
                if (next != null) {
                    heads.add(new Head(next, h.member, h.scan));
                }
            }
            Head file = null;
            for (Head h : group) {
                if (h.entry instanceof FileEntry && (file == null || h.member != file.member)) {
                    for (Head other : group) {
                        if (other.member != h.member) {
                            int a = Math.min(h.member, other.member);
                            int b = Math.max(h.member, other.member);
                            return Optional.of(new Conflict(path, members.get(a), members.get(b)));
                        }
                    }
                    file = h;
                }
            }
            while (!files.isEmpty() && IndexRows.compareUtf8(path, files.peek().entry.path() + "0") >= 0) {
                files.pop();
            }
            for (Head f : files) {
                if (path.startsWith(f.entry.path() + "/")) {
                    for (Head h : group) {
                        if (h.member != f.member) {
                            int a = Math.min(h.member, f.member);
                            int b = Math.max(h.member, f.member);
                            return Optional.of(new Conflict(f.entry.path(), members.get(a), members.get(b)));
                        }
                    }
                }
            }
            if (file != null) {
                files.push(file);
            }
        }
        return Optional.empty();
    }

    /** The archives, in the order named. */
    public List<Archive> members() {
        return members;
    }

    @Override
    public String name() {
        return members.get(0).name();
    }

    /** The newest of the members' index mtimes. */
    @Override
    public long indexMtimeNs() {
        long newest = Long.MIN_VALUE;
        for (Archive a : members) {
            newest = Math.max(newest, a.indexMtimeNs());
        }
        return newest;
    }

    // ---------------------------------------------------------------- paths

    /** Member {@code i}'s path {@code memberPath} as the union shows it. */
    private String outer(int i, String memberPath) {
        if (prefixes == null) {
            return memberPath;
        }
        return memberPath.isEmpty() ? prefixes[i].substring(0, prefixes[i].length() - 1) : prefixes[i] + memberPath;
    }

    /** Under {@code subdirs}: the member a non-root path lies in, or -1. */
    private int memberOf(String path) {
        int slash = path.indexOf('/');
        Integer i = byName.get(slash < 0 ? path : path.substring(0, slash));
        return i == null ? -1 : i;
    }

    /** Under {@code subdirs}: {@code path} (in member {@link #memberOf}) as that member has it. */
    private static String inner(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? "" : path.substring(slash + 1);
    }

    private Entry outer(int i, Entry e) {
        if (e instanceof FileEntry f) {
            return outer(i, f);
        }
        DirEntry d = (DirEntry) e;
        return prefixes == null ? d : new DirEntry(outer(i, d.path()), d.stats(), d.attributes());
    }

    private FileEntry outer(int i, FileEntry f) {
        int shard = f.location().shard();
        if (shard >= 0) { // one that is not the member's fails its reads as the member's would: out of range
            shard = shard < members.get(i).shards().count() ? shardBase[i] + shard : IndexRows.SHARD_OUT_OF_RANGE;
        }
        return new FileEntry(outer(i, f.path()), new ShardLocation(shard, f.location().offset()), f.size(),
                f.crc32c(), f.attributes(), outerRow(i, f.row()));
    }

    /** Member {@code i}'s rowid {@code row} interleaved with the others' (row - 1) * members + i + 1; NO_ROW when it overflows. */
    private long outerRow(int i, long row) {
        if (row <= 0) {
            return FileEntry.NO_ROW;
        }
        try {
            return Math.addExact(Math.multiplyExact(row - 1, (long) members.size()), i + 1);
        } catch (ArithmeticException e) {
            return FileEntry.NO_ROW;
        }
    }

    /** The member holding {@code file} (by its shard), or -1 when its location is invalid. */
    private int holder(FileEntry file) {
        int shard = file.location().shard();
        return shard >= 0 && shard < memberOfShard.length ? memberOfShard[shard] : -1;
    }

    /** {@code file} with its location in its holder's own shards. */
    private FileEntry inner(int member, FileEntry file) {
        return new FileEntry(file.path(), new ShardLocation(file.location().shard() - shardBase[member],
                file.location().offset()), file.size(), file.crc32c(), file.attributes(), file.row());
    }

    // ---------------------------------------------------------------- scans

    /**
     * Merged: the members' scans merged by path, the last member's entry where several have a path
     * (as {@link #lookup} finds it). Under {@code subdirs}: member by member, each one's directory and
     * then what is below it, so that a scan resumes after any path it gave.
     */
    @Override
    public EntryScan scanBelow(String dir, String after) throws IOException {
        if (prefixes == null) {
            List<EntryScan> scans = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                scans.add(outer(i, members.get(i).scanBelow(dir, after)));
            }
            return mergedByPath(scans);
        }
        int only = dir.isEmpty() ? -1 : memberOf(dir);
        if (!dir.isEmpty() && only < 0) {
            return () -> null;
        }
        int resume = after == null || after.isEmpty() ? -1 : memberOf(after);
        List<EntryScan> parts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if ((only >= 0 && i != only) || (only < 0 && resume >= 0 && i < resume)) {
                continue;
            }
            String innerAfter = i == resume && after.contains("/") ? inner(after) : null;
            if (only < 0 && (resume < 0 || i > resume)) {
                Entry root = Kind.ENTRIES.root(this, i);
                parts.add(new EntryScan() { // the member's directory, once
                    private boolean given;

                    @Override
                    public Entry next() {
                        Entry e = given ? null : root;
                        given = true;
                        return e;
                    }
                });
            }
            parts.add(outer(i, members.get(i).scanBelow(only < 0 ? "" : inner(dir), innerAfter)));
        }
        return () -> {
            while (!parts.isEmpty()) {
                Entry e = parts.get(0).next();
                if (e != null) {
                    return e;
                }
                parts.remove(0);
            }
            return null;
        };
    }

    /** Member {@code i}'s scan with its entries as the union shows them. */
    private EntryScan outer(int i, EntryScan scan) {
        return () -> {
            Entry e = scan.next();
            return e == null ? null : outer(i, e);
        };
    }

    /** Scans in path order merged into one, the last scan's entry where several have a path. */
    private static EntryScan mergedByPath(List<EntryScan> scans) throws IOException {
        Entry[] heads = new Entry[scans.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = scans.get(i).next();
        }
        return () -> {
            String least = null;
            for (Entry h : heads) {
                if (h != null && (least == null || IndexRows.compareUtf8(h.path(), least) < 0)) {
                    least = h.path();
                }
            }
            if (least == null) {
                return null;
            }
            Entry chosen = null;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && heads[i].path().equals(least)) {
                    chosen = heads[i];
                    heads[i] = scans.get(i).next();
                }
            }
            return chosen;
        };
    }

    // ---------------------------------------------------------------- lookups

    @Override
    public Optional<Entry> lookup(String path) throws IOException {
        if (prefixes != null) {
            if (path.isEmpty()) {
                return Optional.of(DirEntry.implicit(""));
            }
            int i = memberOf(path);
            return i < 0 ? Optional.empty() : members.get(i).lookup(inner(path)).map(e -> outer(i, e));
        }
        Map<String, Integer> where = path.isEmpty() ? null : childrenOf(ArchivePaths.parent(path));
        if (where != null) {
            Integer i = where.get(path);
            return i == null ? Optional.empty() : members.get(i).lookup(path).map(e -> outer(i, e));
        }
        for (int i = members.size() - 1; i >= 0; i--) {
            Archive a = members.get(i);
            // a lookup that misses takes up to four statements; has() one
            Optional<Entry> e = i == members.size() - 1 || a.has(path) ? a.lookup(path) : Optional.empty();
            if (e.isPresent()) {
                return Optional.of(outer(i, e.get()));
            }
        }
        return Optional.empty();
    }

    /** What {@link #located} holds for a directory whose listing was too long to keep. */
    private static final Map<String, Integer> TOO_MANY = Map.of();

    /** Directories kept in {@link #located}: the one being looked through, and the one before. */
    private static final int LOCATED_DIRECTORIES = 2;

    /**
     * For the last directories whose children were looked up one after another: which member has each
     * child, by path. Without it a lookup asks every member from the last back, and {@code ls -l} or
     * {@code find -printf %s} over a directory that every member has would ask each of them about every
     * child.
     */
    private final Map<String, Map<String, Integer>> located = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Integer>> eldest) {
            return size() > LOCATED_DIRECTORIES;
        }
    };
    private volatile String lastLookupDirectory;

    /**
     * Which member has each child of {@code dir}, from one listing of it, when this is the second lookup
     * in a row below it and it has at most {@link #LISTED_NAMES_LIMIT} children; else null.
     */
    private Map<String, Integer> childrenOf(String dir) throws IOException {
        synchronized (located) {
            Map<String, Integer> where = located.get(dir);
            if (where != null) {
                return where == TOO_MANY ? null : where;
            }
        }
        if (!dir.equals(lastLookupDirectory)) {
            lastLookupDirectory = dir;
            return null;
        }
        Map<String, Integer> where = new HashMap<>();
        Merged<Child> children = (Merged<Child>) listing(dir, Kind.CHILDREN);
        for (Child c = children.take(); c != null; c = children.take()) {
            if (where.size() == LISTED_NAMES_LIMIT) {
                where = TOO_MANY;
                break;
            }
            where.put(c.path(), children.takenFrom());
        }
        synchronized (located) {
            located.put(dir, where);
        }
        return where == TOO_MANY ? null : where;
    }

    @Override
    public Optional<FileEntry> file(long row) throws IOException {
        if (row <= 0) {
            return Optional.empty();
        }
        int i = (int) ((row - 1) % members.size());
        long memberRow = (row - 1) / members.size() + 1;
        return members.get(i).file(memberRow).map(f -> outer(i, f));
    }

    // ---------------------------------------------------------------- listings

    @Override
    public Listing<Entry> list(String dir) throws IOException {
        return listing(dir, Kind.ENTRIES);
    }

    @Override
    public Listing<Entry> listDirectories(String dir) throws IOException {
        return listing(dir, Kind.DIRECTORIES);
    }

    @Override
    public Listing<Child> listChildren(String dir) throws IOException {
        return listing(dir, Kind.CHILDREN);
    }

    /** How a listing of one kind is made from a member's and told apart. */
    private interface Kind<T> {
        Kind<Entry> ENTRIES = entries(Archive::list);
        Kind<Entry> DIRECTORIES = entries(Archive::listDirectories);
        Kind<Child> CHILDREN = new Kind<>() {
            @Override
            public Listing<Child> open(Archive a, String dir) {
                return a.listChildren(dir);
            }

            @Override
            public String path(Child child) {
                return child.path();
            }

            @Override
            public Child outer(ArchiveUnion u, int member, Child child) {
                return u.prefixes == null ? child
                        : child.under(u.prefixes[member].getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public Child root(ArchiveUnion u, int member) {
                return Child.of(u.outer(member, ""), true);
            }
        };

        Listing<T> open(Archive a, String dir);

        /** Its path in the member it was listed from. */
        String path(T child);

        T outer(ArchiveUnion u, int member, T child);

        /** Under {@code subdirs}: member {@code member}'s directory, as a child of the root. */
        T root(ArchiveUnion u, int member) throws IOException;

        /** Whole entries, from the listing {@code open} makes of a member's directory. */
        private static Kind<Entry> entries(BiFunction<Archive, String, Listing<Entry>> open) {
            return new Kind<>() {
                @Override
                public Listing<Entry> open(Archive a, String dir) {
                    return open.apply(a, dir);
                }

                @Override
                public String path(Entry child) {
                    return child.path();
                }

                @Override
                public Entry outer(ArchiveUnion u, int member, Entry child) {
                    return u.outer(member, child);
                }

                @Override
                public Entry root(ArchiveUnion u, int member) throws IOException {
                    return u.outer(member, u.members.get(member).lookup("").orElse(DirEntry.implicit("")));
                }
            };
        }
    }

    private <T> Listing<T> listing(String dir, Kind<T> kind) throws IOException {
        if (prefixes != null) {
            if (dir.isEmpty()) {
                List<T> roots = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    roots.add(kind.root(this, i));
                }
                return new Merged<>(dir, kind, new int[0], roots);
            }
            int i = memberOf(dir);
            boolean isDir = i >= 0 && members.get(i).lookup(inner(dir)).orElse(null) instanceof DirEntry;
            return new Merged<>(dir, kind, isDir ? new int[] {i} : new int[0], List.of());
        }
        int[] having = new int[members.size()];
        int n = 0;
        for (int i = 0; i < members.size(); i++) {
            if (dir.isEmpty() || members.get(i).lookup(dir).orElse(null) instanceof DirEntry) {
                having[n++] = i;
            }
        }
        return new Merged<>(dir, kind, Arrays.copyOf(having, n), List.of());
    }

    /** Most names a listing keeps of the children it gave, to leave them out of earlier members' (see {@link Merged}). */
    static final int LISTED_NAMES_LIMIT = 32_768;

    /**
     * The members' listings of one directory in turn, the last member first ({@code having}: the members
     * where it is a directory, in order), each child left out when a later one of them has its path; after
     * {@code fixed}, children given as they are. The paths given are kept, up to
     * {@link #LISTED_NAMES_LIMIT}, so a child is looked for among them instead of in each later member;
     * past that limit (or for a listing of directories only, which does not see the later members'
     * files) it is looked up in each later member.
     */
    private final class Merged<T> implements Listing<T> {
        private final String dir;
        private final Kind<T> kind;
        private final int[] having;
        private final ArrayDeque<T> fixed;
        private int at;
        private Listing<T> current;
        private T next;
        private int nextFrom;
        private int takenFrom;
        /** The paths given so far, while they are all kept; null past the limit. */
        private Set<String> given;

        Merged(String dir, Kind<T> kind, int[] having, List<T> fixed) {
            this.dir = dir;
            this.kind = kind;
            this.having = having;
            this.fixed = new ArrayDeque<>(fixed);
            this.at = having.length;
            this.given = having.length > 1 && kind != Kind.DIRECTORIES ? new HashSet<>() : null;
        }

        @Override
        public String directory() {
            return dir;
        }

        @Override
        public byte[] childPrefixUtf8() {
            return IndexRows.descendantPrefix(dir).getBytes(StandardCharsets.UTF_8);
        }

        /** From several indexes in turn, a union's listing walks up to the child. */
        @Override
        public boolean skipPast(String name) throws IOException {
            String path = IndexRows.descendantPrefix(dir) + name;
            for (T t = take(); t != null; t = take()) {
                if (kind.path(t).equals(path)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public T peek() throws IOException {
            while (next == null) {
                if (!fixed.isEmpty()) {
                    next = fixed.poll();
                } else if (current != null && current.peek() != null) {
                    T child = current.take();
                    String path = kind.path(child);
                    if (!shadowed(path)) {
                        next = kind.outer(ArchiveUnion.this, having[at], child);
                        nextFrom = having[at];
                        keep(path);
                    }
                } else if (at > 0) {
                    at--;
                    int member = having[at];
                    current = kind.open(members.get(member), prefixes == null ? dir : inner(dir));
                } else {
                    return null;
                }
            }
            return next;
        }

        /** Whether a member named after the current one has {@code memberPath}: the later one shows it. */
        private boolean shadowed(String memberPath) throws IOException {
            if (given != null) {
                return given.contains(memberPath);
            }
            for (int j = at + 1; j < having.length; j++) {
                if (members.get(having[j]).has(memberPath)) {
                    return true;
                }
            }
            return false;
        }

        private void keep(String memberPath) {
            if (given == null || at == 0) { // the first member's children are looked for in no other
                return;
            }
            if (given.size() < LISTED_NAMES_LIMIT) {
                given.add(memberPath);
            } else {
                given = null;
            }
        }

        @Override
        public T take() throws IOException {
            T t = peek();
            takenFrom = nextFrom;
            next = null;
            return t;
        }

        /** The member the child {@link #take} gave last came from. */
        int takenFrom() {
            return takenFrom;
        }
    }

    // ---------------------------------------------------------------- reads

    /** The member holding {@code file}; for a file whose location is invalid, one that says so as the archives do. */
    private int route(FileEntry file) throws IOException {
        int i = holder(file);
        if (i < 0) {
            members.get(0).checkLocation(file); // an invalid shard: fails, naming the file
            throw new IOException(file.path() + ": invalid location in the index");
        }
        return i;
    }

    @Override
    public int read(FileEntry file, long position, ByteBuffer dst) throws IOException {
        int i = route(file);
        return members.get(i).read(inner(i, file), position, dst);
    }

    @Override
    public int readWhole(FileEntry file, ByteBuffer window) throws IOException {
        int i = route(file);
        return members.get(i).readWhole(inner(i, file), window);
    }

    @Override
    public void checkLocation(FileEntry file) throws IOException {
        int i = route(file);
        members.get(i).checkLocation(inner(i, file));
    }

    @Override
    public long checksum(FileEntry file) throws IOException {
        int i = route(file);
        return members.get(i).checksum(inner(i, file));
    }

    @Override
    public Origin origin(FileEntry file) {
        int i = holder(file);
        return i < 0 ? new Origin(null, file.location()) : new Origin(members.get(i), inner(i, file).location());
    }

    /** The members' totals summed: what they hold, not what the union shows where they overlap. */
    @Override
    public ArchiveStats stats() throws IOException {
        ArchiveStats s = stats;
        if (s == null) {
            long files = 0;
            long dirs = 0;
            long bytes = 0;
            long shardBytes = 0;
            int shards = 0;
            for (Archive a : members) {
                ArchiveStats m = a.stats();
                files += m.fileCount();
                dirs += m.dirCount();
                bytes += m.totalFileBytes();
                shardBytes += m.shardBytes();
                shards += m.shardCount();
            }
            s = new ArchiveStats(files, dirs, bytes, shardBytes, shards);
            stats = s;
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Archive a : members) {
            try {
                a.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
