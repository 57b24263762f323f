package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Errno;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing the request path, without a kernel: small archives have their index rows and shard bytes
 * mutated at random (seeded: {@code -Dbarecat.fuzz.seed}, {@code -Dbarecat.fuzz.cases}), then an
 * {@link ArchiveFilesystem} is sent the requests a kernel would send, as bytes ({@link KernelDriver}),
 * speaking a random protocol version (as RHEL 8's, RHEL 9's or a current kernel) with and without
 * READDIRPLUS: list every directory (in small pages), look up, stat and open everything listed and
 * every raw path in the index, read files whole and in random ranges, read extended attributes.
 * <p>Properties: opening either succeeds or fails with one line that names the archive; nothing
 * throws; every reply is a success or an errno from a fixed set; a read that returns bytes returns
 * exactly the bytes of the file's own row (non-negative integers, inside an existing shard, within
 * the file's size), checked against the index and shards read independently here; with
 * {@code verify}, a file read whole has its stored checksum; nothing hangs.
 */
class RequestFuzzTest {
    private static final long SEED = Long.getLong("barecat.fuzz.seed", 20240601L);
    private static final int CASES = Integer.getInteger("barecat.fuzz.cases", 150);
    private static final Set<Integer> ERRNOS = Set.of(Errno.ENOENT, Errno.EIO, Errno.ENOTDIR, Errno.EISDIR,
            Errno.ENODATA, Errno.ERANGE);
    /** Protocol versions a kernel may speak: libfuse 2's, RHEL 8's (4.18), RHEL 9's (5.14), this layer's. */
    private static final int[] MINORS = {19, 27, 33, Abi.MINOR};
    private static final String[] FILE_COLUMNS = {"path", "shard", "offset", "size", "crc32c", "mode", "uid", "gid",
            "mtime_ns"};
    private static final String[] DIR_COLUMNS = {"path", "num_subdirs", "num_files", "num_files_tree", "size_tree",
            "mode", "uid", "gid", "mtime_ns"};

    @TempDir
    static Path tmp;
    static Path base;
    /** What the cases did, printed at the end, to see that the mutations reach the callbacks. */
    private static final java.util.Map<String, Integer> tally = new java.util.TreeMap<>();

    private static synchronized void count(String what) {
        tally.merge(what, 1, Integer::sum);
    }

    @BeforeAll
    static void writeBaseArchive() throws IOException {
        base = Files.createDirectory(tmp.resolve("base")).resolve("f.barecat");
        Random random = new Random(SEED);
        try (TreeBuilder w = TreeBuilder.archive(base, 40_000)) {
            for (int i = 0; i < 40; i++) {
                // some files of 64 KiB and more, which a whole-file read takes around the page cache
                byte[] data = new byte[i % 9 == 0 ? 0 : i % 13 == 1 ? 65_536 + random.nextInt(100_000)
                        : random.nextInt(i % 10 == 1 ? 30_000 : 3_000)];
                random.nextBytes(data);
                w.file("d" + (i % 4) + (i % 3 == 0 ? "/sub" : "") + "/f" + i, data);
            }
            w.dir("empty");
        }
    }

    @Test
    void mutatedArchivesNeverMakeACallbackThrowHangOrServeOtherBytes() {
        for (int i = 0; i < CASES; i++) {
            long seed = SEED + i;
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runCase(seed), "hung on seed " + seed);
        }
        System.out.println("fuzz: " + CASES + " cases from seed " + SEED + ": " + tally);
    }

    private void runCase(long seed) throws Exception {
        Random random = new Random(seed);
        Path dir = Files.createDirectory(tmp.resolve("case-" + seed));
        Path index = dir.resolve("f.barecat");
        for (int s = 0; Files.exists(shard(base, s)); s++) {
            Files.copy(shard(base, s), shard(index, s));
        }
        Files.copy(base, index);
        List<String> mutations = mutate(index, random);
        String context = "seed " + seed + " after " + mutations;
        Archive archive;
        try {
            archive = Archive.open(index);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            assertFalse(message.contains("\n"), context + ": one line: " + message);
            assertTrue(message.contains(dir.toString()), context + ": names the archive: " + message);
            count("refused at open: " + message.substring(message.indexOf(": ") + 2)
                    .replaceAll("\\(.*|'.*'|\\d+", "").trim());
            return;
        }
        try (archive; Connection rows = DriverManager.getConnection("jdbc:sqlite:" + index)) {
            boolean verify = random.nextBoolean();
            int minor = MINORS[random.nextInt(MINORS.length)];
            boolean plus = random.nextBoolean();
            ArchiveFilesystem fs = new ArchiveFilesystem(archive, new EntryDefaults(0, 0, 0), MountOptions.Overrides.NONE,
                    new ArchiveFilesystem.Timeouts(1, 1, random.nextBoolean() ? 1 : 0), verify);
            KernelDriver kernel = new KernelDriver(fs, minor, KernelDriver.CURRENT, plus);
            boolean warmedUp = random.nextBoolean();
            if (warmedUp) { // as after every mount: it must neither throw nor change what requests answer
                fs.readAheadListings();
                WarmUp.run(kernel.session(), 1_000, () -> false);
            }
            new Driver(kernel, new Oracle(index, rows, verify), random, context + (verify ? " with verify" : "")
                    + " on protocol 7." + minor + (plus ? " with READDIRPLUS" : "") + (warmedUp ? ", warmed up" : "")).run();
        }
    }

    private static Path shard(Path index, long number) {
        return index.resolveSibling(index.getFileName() + String.format("-shard-%05d", number));
    }

    // ---------------------------------------------------------------- mutations

    private static List<String> mutate(Path index, Random random) throws Exception {
        List<String> done = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index); Statement s = c.createStatement()) {
            s.execute("UPDATE config SET value_int = 0 WHERE key = 'use_triggers'");
            List<String> paths = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT path FROM files UNION ALL SELECT path FROM dirs")) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
            int count = 1 + random.nextInt(5);
            for (int k = 0; k < count; k++) {
                try {
                    done.add(mutateIndex(c, random, paths));
                } catch (SQLException e) {
                    done.add("(refused by SQLite: " + e.getMessage() + ")");
                }
            }
        }
        if (random.nextInt(3) == 0) {
            done.add(mutateShard(index, random));
        }
        if (random.nextInt(25) == 0) {
            done.add(corruptIndexBytes(index, random));
        }
        return done;
    }

    private static String mutateIndex(Connection c, Random random, List<String> paths) throws SQLException {
        boolean files = random.nextInt(3) > 0;
        String table = files ? "files" : "dirs";
        switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> {
                String column = (files ? FILE_COLUMNS : DIR_COLUMNS)[random.nextInt(FILE_COLUMNS.length)];
                Object value = column.equals("path") ? path(random, paths) : number(random);
                try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE rowid = ?")) {
                    s.setObject(1, value);
                    s.setLong(2, anyRow(c, table, random));
                    s.executeUpdate();
                }
                return "set " + table + "." + column + " = " + show(value);
            }
            case 4, 5 -> {
                Object path = path(random, paths);
                try (PreparedStatement s = c.prepareStatement(files
                        ? "INSERT INTO files (path, shard, offset, size, crc32c) VALUES (?, ?, ?, ?, ?)"
                        : "INSERT INTO dirs (path, num_subdirs, num_files, num_files_tree, size_tree) VALUES (?, ?, ?, ?, ?)")) {
                    s.setObject(1, path);
                    for (int i = 2; i <= 5; i++) {
                        s.setObject(i, random.nextBoolean() ? (long) random.nextInt(60_000) : number(random));
                    }
                    s.executeUpdate();
                }
                return "insert into " + table + " " + show(path);
            }
            case 6 -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE rowid = ?")) {
                    s.setLong(1, anyRow(c, table, random));
                    s.executeUpdate();
                }
                return "delete a row of " + table;
            }
            case 7 -> {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP INDEX IF EXISTS idx_" + table + "_path");
                }
                String dup = paths.get(random.nextInt(paths.size()));
                try (PreparedStatement s = c.prepareStatement(files
                        ? "INSERT INTO files (path, shard, offset, size) VALUES (?, 0, 0, 1)"
                        : "INSERT INTO dirs (path) VALUES (?)")) {
                    s.setString(1, dup);
                    s.executeUpdate();
                }
                return "duplicate " + table + " " + show(dup);
            }
            case 8 -> {
                Object version = random.nextBoolean() ? (long) random.nextInt(3) : number(random);
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE config SET value_int = ? WHERE key = 'schema_version_major'")) {
                    s.setObject(1, version);
                    s.executeUpdate();
                }
                return "schema_version_major = " + show(version);
            }
            default -> {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE files SET offset = offset + ?, size = size + ? WHERE rowid = ?")) {
                    s.setLong(1, random.nextInt(2001) - 1000);
                    s.setLong(2, random.nextInt(2001) - 1000);
                    s.setLong(3, anyRow(c, "files", random));
                    s.executeUpdate();
                }
                return "nudge a file's offset and size";
            }
        }
    }

    /** A rowid of the table, chosen with the case's generator: SQLite's random() would not repeat with the seed. */
    private static long anyRow(Connection c, String table, Random random) throws SQLException {
        List<Long> rowids = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rowid FROM " + table + " ORDER BY rowid")) {
            while (rs.next()) {
                rowids.add(rs.getLong(1));
            }
        }
        return rowids.isEmpty() ? -1 : rowids.get(random.nextInt(rowids.size()));
    }

    private static Object number(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> -1L;
            case 1 -> 0L;
            case 2 -> 1L;
            case 3 -> Long.MAX_VALUE;
            case 4 -> Long.MIN_VALUE;
            case 5 -> 1L << 31;
            case 6 -> 1L << 32;
            case 7 -> -(long) random.nextInt(100_000);
            case 8 -> "abc";
            case 9 -> "12";
            case 10 -> 1.5;
            case 11 -> new byte[] {0, 1, 2};
            case 12 -> null;
            default -> (long) random.nextInt(80_000);
        };
    }

    private static Object path(Random random, List<String> paths) {
        String existing = paths.get(random.nextInt(paths.size()));
        return switch (random.nextInt(16)) {
            case 0 -> "";
            case 1 -> "/";
            case 2 -> ".";
            case 3 -> "..";
            case 4 -> existing + "/../../etc/passwd";
            case 5 -> existing + "//x";
            case 6 -> "/" + existing;
            case 7 -> existing + "/";
            case 8 -> existing + "/" + "n".repeat(256);
            case 9 -> existing + "/nul\0byte";
            case 10 -> existing;
            case 11 -> existing + "/child";
            case 12 -> null;
            case 13 -> 42L;
            case 14 -> "日本/語 " + random.nextInt(10);
            default -> existing.isEmpty() ? "x" + random.nextInt(10) : existing + random.nextInt(10);
        };
    }

    private static String show(Object value) {
        return value instanceof byte[] b ? "x'" + java.util.HexFormat.of().formatHex(b) + "'"
                : value instanceof String s ? "'" + s.replace("\0", "\\0") + "'" : String.valueOf(value);
    }

    private static String mutateShard(Path index, Random random) throws IOException {
        int number = random.nextInt(3);
        Path shard = shard(index, number);
        if (!Files.exists(shard)) {
            return "no shard " + number;
        }
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    long length = f.length() == 0 ? 0 : random.nextLong(f.length());
                    f.setLength(length);
                    return "truncate shard " + number + " to " + length;
                }
                case 1 -> {
                    f.seek(f.length());
                    f.write(new byte[random.nextInt(5000)]);
                    return "extend shard " + number;
                }
                case 2 -> {
                    Files.delete(shard);
                    return "delete shard " + number;
                }
                default -> {
                    for (int i = 0; i < 1 + random.nextInt(10) && f.length() > 0; i++) {
                        long at = random.nextLong(f.length());
                        f.seek(at);
                        int b = f.read();
                        f.seek(at);
                        f.write(b ^ (1 + random.nextInt(255)));
                    }
                    return "flip bytes of shard " + number;
                }
            }
        }
    }

    private static String corruptIndexBytes(Path index, Random random) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                long at = random.nextLong(f.length());
                f.seek(at);
                f.write(random.nextInt(256));
            }
        }
        return "overwrite bytes of the index file";
    }

    // ---------------------------------------------------------------- driving the requests

    /** Sends one file system the requests a kernel would send, checking every answer. */
    private static final class Driver {
        private final KernelDriver kernel;
        private final Oracle oracle;
        private final Random random;
        private final String context;
        private int budget = 3000;

        Driver(KernelDriver kernel, Oracle oracle, Random random, String context) {
            this.kernel = kernel;
            this.oracle = oracle;
            this.random = random;
            this.context = context;
        }

        void run() throws Exception {
            String statfs = kernel.statfs(Abi.ROOT_ID);
            answer("statfs", statfs.startsWith("E") ? -Errno.EIO : 0);
            walk(Abi.ROOT_ID, "", 0);
            try (Statement s = oracle.rows().createStatement();
                 ResultSet rs = s.executeQuery("SELECT path FROM files UNION ALL SELECT path FROM dirs")) {
                while (rs.next() && budget-- > 0) {
                    String raw = rs.getString(1);
                    if (raw != null && raw.indexOf('\0') < 0) {
                        visitPath(raw);
                    }
                }
            } catch (SQLException unreadableIndex) {
                // the index itself is damaged: what the requests did with it was still checked above
            }
            assertEquals(null, kernel.read(Abi.ROOT_ID, 987654321L, 0, 10), context);
            assertEquals(-Errno.EBADF, kernel.lastError, context + ": a read with a handle never given");
        }

        /** Looks up each component of a raw index path in turn, as the kernel would resolve it, and visits the last. */
        private void visitPath(String raw) {
            long node = Abi.ROOT_ID;
            String path = "";
            for (String name : raw.split("/")) {
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (name.equals("..") || name.getBytes(StandardCharsets.UTF_8).length > 1024) {
                    return; // the kernel resolves "..", and refuses names this long, itself
                }
                KernelDriver.Looked looked = kernel.lookup(node, name);
                answer("lookup " + name, looked.error());
                if (looked.error() != 0) {
                    return;
                }
                node = looked.node();
                path = path.isEmpty() ? name : path + "/" + name;
            }
            visit(node, path);
        }

        private void walk(long dir, String path, int depth) {
            if (depth > 8 || budget-- <= 0) {
                return;
            }
            long handle = kernel.open(Abi.OPENDIR, dir, 0);
            boolean unopened = handle == -Errno.ENOSYS;
            answer("opendir " + path, unopened ? 0 : (int) Math.min(0, handle));
            if (handle < 0 && !unopened) {
                return;
            }
            long fh = unopened ? 0 : handle;
            long offset = 0;
            List<String> names = new ArrayList<>();
            List<Boolean> isDir = new ArrayList<>();
            for (int calls = 0; calls < 10_000; calls++) {
                boolean plus = kernel.session().capabilities().readdirPlus() && random.nextBoolean();
                List<KernelDriver.Dirent> page = kernel.readdir(dir, fh, offset, 80 + random.nextInt(2000), plus);
                answer("readdir " + path, page == null ? kernel.lastError : 0);
                if (page == null || page.isEmpty()) {
                    break;
                }
                for (KernelDriver.Dirent d : page) {
                    names.add(d.name());
                    isDir.add(d.type() == Abi.DT_DIR);
                    offset = d.nextOffset();
                    if (plus && d.node() != 0) {
                        assertEquals(lookupAttributes(dir, d.name()), d.attributes(), context + ": " + path + "/"
                                + d.name() + ": READDIRPLUS answers what a lookup answers");
                        kernel.forget(d.node(), 1);
                    }
                }
            }
            if (!unopened) {
                kernel.release(Abi.RELEASEDIR, dir, fh);
            }
            assertEquals(names.size(), Set.copyOf(names).size(), context + ": " + path + " lists a name twice: " + names);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                KernelDriver.Looked looked = kernel.lookup(dir, name);
                answer("lookup " + name, looked.error());
                if (looked.error() != 0) {
                    continue;
                }
                String child = path.isEmpty() ? name : path + "/" + name;
                visit(looked.node(), child);
                if (isDir.get(i)) {
                    walk(looked.node(), child, depth + 1);
                }
            }
        }

        private String lookupAttributes(long dir, String name) {
            KernelDriver.Looked looked = kernel.lookup(dir, name);
            if (looked.error() == 0) {
                kernel.forget(looked.node(), 1);
            }
            return looked.attributes();
        }

        /** getattr, xattrs, and for a regular file open, reads and release. */
        private void visit(long node, String path) {
            String attributes = kernel.getattr(node);
            boolean ok = attributes.startsWith("ino=");
            answer("getattr " + path, ok ? 0 : -errno(attributes));
            byte[] crc = kernel.getxattr(node, "user.barecat.crc32c", 64);
            answer("getxattr " + path, crc == null ? kernel.lastError : 0);
            byte[] list = kernel.listxattr(node, random.nextInt(3) * 40);
            answer("listxattr " + path, list == null ? kernel.lastError : 0);
            if (!ok || !attributes.contains(" mode=100")) {
                return;
            }
            long size = Long.parseLong(attributes.replaceAll(".* size=(\\d+).*", "$1"));
            long handle = kernel.open(Abi.OPEN, node, 0);
            if (handle == -Errno.ENOSYS) {
                handle = 0; // a zero-message open: the kernel takes ENOSYS as success, and reads come with no handle
            }
            answer("open " + path, (int) Math.min(0, handle));
            if (handle < 0) {
                return;
            }
            try {
                Row row = Row.of(oracle.rows(), path, context);
                assertEquals(row.size, size, context + ": " + path + " st_size is its row's size");
                CRC32C sum = new CRC32C();
                boolean whole = true;
                for (long at = 0; at < size; ) {
                    int n = read(node, handle, path, row, at, 1 + random.nextInt(128 * 1024), sum);
                    if (n <= 0) {
                        whole = false;
                        break;
                    }
                    at += n;
                }
                if (whole && oracle.verify() && row.crc != null) {
                    assertEquals((long) row.crc, sum.getValue(), context + ": " + path + " read whole under verify");
                }
                for (int k = 0; k < 3; k++) {
                    read(node, handle, path, row, random.nextInt((int) Math.min(Integer.MAX_VALUE, size + 100)),
                            1 + random.nextInt(64 * 1024), null);
                }
            } finally {
                if (handle != 0) {
                    kernel.release(Abi.RELEASE, node, handle);
                }
            }
        }

        /** One READ; the bytes it returns must be the row's own. */
        private int read(long node, long handle, String path, Row row, long at, int length, CRC32C crc) {
            byte[] got = kernel.read(node, handle, at, length);
            int n = got == null ? kernel.lastError : got.length;
            answer("read " + path, Math.min(0, n));
            if (n > 0) {
                byte[] expected = row.bytes(oracle.index(), at, n);
                if (expected == null) {
                    fail(context + ": read of " + path + " at " + at + " returned " + n
                            + " bytes outside the file's own range (" + row + ")");
                }
                assertTrue(Arrays.equals(expected, got), context + ": " + path + " at " + at + ": wrong bytes");
                if (crc != null) {
                    crc.update(got);
                }
            }
            return n;
        }

        private static int errno(String name) {
            for (int e : new int[] {Errno.ENOENT, Errno.EIO, Errno.ENOTDIR, Errno.EISDIR, Errno.EBADF}) {
                if (Errno.name(e).equals(name)) {
                    return e;
                }
            }
            return 9999;
        }

        private void answer(String call, int rc) {
            if (rc < 0 && !ERRNOS.contains(-rc)) {
                fail(context + ": " + call + " answered " + Errno.name(-rc));
            }
            count(call.substring(0, call.indexOf(' ') < 0 ? call.length() : call.indexOf(' '))
                    + (rc < 0 ? " " + Errno.name(-rc) : " ok"));
        }
    }

    /**
     * What the answers must be: the archive as this test reads it, never through fs-core (the index's rows by
     * plain SQL, the shards as files), and whether the file system verifies the checksums of whole reads.
     */
    private record Oracle(Path index, Connection rows, boolean verify) {
    }

    /** A files row as this test reads it, typed as SQLite stores it, never through fs-core. */
    private record Row(Object shard, Object offset, long size, Long crc) {
        static Row of(Connection c, String path, String context) {
            try (PreparedStatement s = c.prepareStatement("SELECT shard, offset, size, crc32c FROM files WHERE path = ?")) {
                s.setString(1, path);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        fail(context + ": " + path + " opened as a file but has no files row");
                    }
                    Object size = rs.getObject(3);
                    Object crc = rs.getObject(4);
                    if (!(size instanceof Integer || size instanceof Long)) {
                        fail(context + ": " + path + " opened although its size is " + show(size));
                    }
                    Row row = new Row(rs.getObject(1), rs.getObject(2), ((Number) size).longValue(),
                            crc instanceof Integer || crc instanceof Long ? ((Number) crc).longValue() : null);
                    assertFalse(rs.next(), context + ": " + path + " has two files rows");
                    return row;
                }
            } catch (SQLException e) {
                throw new AssertionError(context + ": cannot read the row of " + path, e);
            }
        }

        /** Bytes {@code [at, at + n)} of the file, from its shard; null unless the row is valid and covers them. */
        byte[] bytes(Path index, long at, int n) {
            if (!(shard instanceof Integer || shard instanceof Long) || !(offset instanceof Integer || offset instanceof Long)) {
                return null;
            }
            long shardNumber = ((Number) shard).longValue();
            long start = ((Number) offset).longValue();
            Path file = RequestFuzzTest.shard(index, shardNumber);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                if (shardNumber < 0 || start < 0 || size < 0 || start > Long.MAX_VALUE - size
                        || start + size > f.length() || at < 0 || at + n > size) {
                    return null;
                }
                byte[] out = new byte[n];
                f.seek(start + at);
                f.readFully(out);
                return out;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
