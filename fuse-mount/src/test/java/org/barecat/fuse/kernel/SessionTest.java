package org.barecat.fuse.kernel;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.barecat.fuse.kernel.Fixtures.Bytes;
import static org.barecat.fuse.kernel.Fixtures.header;
import static org.barecat.fuse.kernel.Fixtures.le;
import static org.barecat.fuse.kernel.Fixtures.nul;
import static org.barecat.fuse.kernel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol layer on byte fixtures: each request as the kernel writes it, each reply as the kernel reads it. */
class SessionTest {
    private static final byte[] LONG_NAME = "n".repeat(255).getBytes(StandardCharsets.UTF_8);

    /** A file system that answers a few fixed things and records what it was asked. */
    static final class Stub implements Filesystem {
        final List<String> calls = new ArrayList<>();
        Capabilities capabilities;
        /** Names READDIR lists, and the size of the directory reply each takes. */
        List<String> names = List.of();

        @Override
        public void init(Capabilities c) {
            capabilities = c;
        }

        @Override
        public int lookup(long parent, byte[] name, EntryOut out) {
            calls.add("lookup " + parent + " " + name.length);
            if (parent == 1 && Arrays.equals(name, "a".getBytes(StandardCharsets.UTF_8))) {
                out.entry(2, 1.5, 2.25).set(77, 0100644, 1, 12345, 25, 1000, 100, 1_700_000_000_123_456_789L, 131072);
                return 0;
            }
            if (Arrays.equals(name, LONG_NAME)) {
                out.entry(3, 1, 1).set(78, 040755, 2, 4096, 8, 0, 0, 0, 131072);
                return 0;
            }
            if (parent == 1) {
                out.negative(0.5);
                return 0;
            }
            return -Errno.ENOENT;
        }

        @Override
        public void forget(long node, long lookups) {
            calls.add("forget " + node + " " + lookups);
        }

        @Override
        public int getattr(long node, AttrOut out) {
            out.attr(86400).set(node, 0100600, 1, 5, 1, 1, 2, -1, 4096); // an mtime before 1970
            return 0;
        }

        @Override
        public int open(long node, int flags, OpenOut out) {
            return -Errno.ENOSYS;
        }

        @Override
        public int read(long node, long handle, long offset, int size, DataOut out) {
            if (node == 6) { // as a direct read places data: where its alignment puts it
                ByteBuffer window = out.alignedRoom(size);
                for (int i = 0; i < 10; i++) {
                    window.put(100 + i, (byte) ('k' + i));
                }
                out.from(100);
                return 10;
            }
            ByteBuffer dst = out.room(size);
            int n = Math.min(dst.remaining(), 10);
            for (int i = 0; i < n; i++) {
                dst.put((byte) ('a' + i));
            }
            return n;
        }

        @Override
        public void release(long node, long handle) {
            calls.add("release " + handle);
        }

        @Override
        public int opendir(long node, int flags, OpenOut out) {
            out.open(99, Abi.FOPEN_KEEP_CACHE | Abi.FOPEN_CACHE_DIR);
            return 0;
        }

        @Override
        public int readdir(long node, long handle, long offset, DirectoryOut out) {
            for (int i = (int) offset; i < names.size(); i++) {
                byte[] n = names.get(i).getBytes(StandardCharsets.UTF_8);
                if (!out.add(n, 0, n.length, 1000 + i, Abi.DT_REG, i + 1)) {
                    break;
                }
            }
            return 0;
        }

        @Override
        public void releasedir(long node, long handle) {
        }

        @Override
        public int statfs(long node, StatfsOut out) {
            out.statfs(10, 0, 0, 3, 0, 131072, 255, 4096);
            return 0;
        }

        @Override
        public int getxattr(long node, String name, XattrOut out) {
            if (!name.equals("user.x")) {
                return -Errno.ENODATA;
            }
            out.value("abcdef".getBytes(StandardCharsets.UTF_8));
            return 0;
        }

        @Override
        public int listxattr(long node, XattrOut out) {
            out.value("user.x\0".getBytes(StandardCharsets.UTF_8));
            return 0;
        }
    }

    private Stub fs;
    private Session session;
    private Fixtures kernel;

    @BeforeEach
    void init() {
        fs = new Stub();
        session = new Session(fs, null, Session.Settings.DEFAULT, null);
        kernel = new Fixtures(session);
        byte[] reply = kernel.answer(init(7, 38, 0x1_ffff_ffffL));
        assertEquals(0, le(reply).getInt(4));
    }

    /** A {@code fuse_init_in}: major, minor, max_readahead, flags, flags2, eleven unused words. */
    private static byte[] init(int major, int minor, long flags) {
        return request(Abi.INIT, 1, 0, new Bytes().u32(major).u32(minor).u32(131072).u32(flags & 0xffffffffL)
                .u32(flags >>> 32).zeros(44).bytes());
    }

    @Test
    void initAgreesOnTheNewestProtocolAndAsksForLargeAsynchronousReads() {
        Session s = new Session(fs, null, Session.Settings.DEFAULT, null);
        byte[] reply = new Fixtures(s).answer(init(7, 45, 0xffffffffL | 1L << 30));
        assertEquals("len 80 error 0 unique 1", header(reply));
        ByteBuffer out = le(reply);
        assertEquals(7, out.getInt(16));
        assertEquals(38, out.getInt(20));
        assertEquals(131072, out.getInt(24), "max_readahead: the kernel's");
        int flags = out.getInt(28);
        assertEquals(Abi.ASYNC_READ | Abi.PARALLEL_DIROPS | Abi.MAX_PAGES | Abi.ABORT_ERROR, flags & 0xffffffffL);
        assertEquals(4096, out.getInt(36), "max_write");
        assertEquals(1, out.getInt(40), "time_gran");
        assertEquals(256, out.getShort(44), "max_pages: 1 MiB requests");
        assertTrue(fs.capabilities.noOpen() && fs.capabilities.noOpendir());
        assertEquals(1 << 20, fs.capabilities.maxRead());
    }

    @Test
    void initCappedAtAnOlderProtocolAnswersAsThatProtocolDoes() {
        Session s = new Session(fs, null, new Session.Settings(19, true, 0, 0), null);
        byte[] reply = new Fixtures(s).answer(init(7, 38, 0xffffffffL));
        assertEquals("len 40 error 0 unique 1", header(reply), "fuse_init_out of 7.19 is 24 bytes");
        ByteBuffer out = le(reply);
        assertEquals(19, out.getInt(20));
        assertEquals(Abi.ASYNC_READ, out.getInt(28), "no READDIRPLUS (7.21), no large pages (7.28)");
        assertTrue(!fs.capabilities.noOpen() && !fs.capabilities.noOpendir(), "opens hand out handles");
        assertEquals(128 * 1024, fs.capabilities.maxRead());

        s = new Session(fs, null, new Session.Settings(27, true, 0, 0), null);
        out = le(new Fixtures(s).answer(init(7, 38, 0xffffffffL)));
        assertEquals(Abi.ASYNC_READ | Abi.PARALLEL_DIROPS | Abi.ABORT_ERROR | Abi.DO_READDIRPLUS | Abi.READDIRPLUS_AUTO,
                out.getInt(28) & 0xffffffffL, "as on RHEL 8's 4.18: 7.27");
        assertTrue(fs.capabilities.noOpen() && !fs.capabilities.noOpendir() && fs.capabilities.readdirPlus());
    }

    @Test
    void initFromANewerMajorOrATooOldMinor() {
        Session s = new Session(fs, null, Session.Settings.DEFAULT, null);
        byte[] reply = new Fixtures(s).answer(init(8, 0, 0));
        assertEquals("len 24 error 0 unique 1", header(reply), "major and minor only: the kernel asks again");
        assertEquals(7, le(reply).getInt(16));
        reply = new Fixtures(s).answer(init(7, 11, 0));
        assertEquals("len 16 error -71 unique 1", header(reply), "EPROTO");
    }

    @Test
    void lookupDecodesTheNameAndEncodesAnEntry() {
        byte[] reply = kernel.answer(request(Abi.LOOKUP, 7, 1, nul("a")));
        assertEquals("len 144 error 0 unique 7", header(reply));
        byte[] expected = new Bytes()
                .u64(2).u64(0).u64(1).u64(2).u32(500_000_000).u32(250_000_000) // nodeid, generation, valid times
                .u64(77).u64(12345).u64(25) // ino, size, blocks
                .u64(1_700_000_000L).u64(1_700_000_000L).u64(1_700_000_000L) // atime, mtime, ctime
                .u32(123_456_789).u32(123_456_789).u32(123_456_789)
                .u32(0100644).u32(1).u32(1000).u32(100).u32(0).u32(131072).u32(0) // mode ... flags
                .bytes();
        assertArrayEquals(expected, Arrays.copyOfRange(reply, 16, reply.length));
        assertEquals(List.of("lookup 1 1"), fs.calls);
    }

    @Test
    void aNameOf255BytesAndANegativeEntry() {
        byte[] reply = kernel.answer(request(Abi.LOOKUP, 8, 1, nul(new String(LONG_NAME, StandardCharsets.UTF_8))));
        assertEquals(3, le(reply).getLong(16));
        reply = kernel.answer(request(Abi.LOOKUP, 9, 1, nul("missing")));
        assertEquals("len 144 error 0 unique 9", header(reply));
        assertEquals(0, le(reply).getLong(16), "node id 0: a negative entry");
        assertEquals(500_000_000, le(reply).getInt(16 + 32), "kept for half a second");
        reply = kernel.answer(request(Abi.LOOKUP, 10, 5, nul("missing")));
        assertEquals("len 16 error -2 unique 10", header(reply));
        reply = kernel.answer(request(Abi.LOOKUP, 11, 1, "unterminated".getBytes(StandardCharsets.UTF_8)));
        assertEquals("len 16 error -22 unique 11", header(reply));
    }

    @Test
    void aLookupReplyTheKernelDroppedIsForgotten() {
        kernel.sendResult = -Errno.ENOENT; // the request was interrupted
        kernel.answer(request(Abi.LOOKUP, 7, 1, nul("a")));
        assertEquals(List.of("lookup 1 1", "forget 2 1"), fs.calls);
    }

    @Test
    void getattrWithAnMtimeBeforeTheEpoch() {
        byte[] reply = kernel.answer(request(Abi.GETATTR, 12, 4, new Bytes().u32(0).u32(0).u64(0).bytes()));
        assertEquals("len 120 error 0 unique 12", header(reply));
        ByteBuffer b = le(reply);
        assertEquals(86400, b.getLong(16));
        assertEquals(4, b.getLong(32), "ino");
        assertEquals(-1, b.getLong(32 + 32), "mtime: the second before");
        assertEquals(999_999_999, b.getInt(32 + 52), "and its last nanosecond");
        assertEquals(0100600, b.getInt(32 + 60));
    }

    @Test
    void aReaddirThatFillsItsBufferExactly() {
        // each entry: 24 bytes of fuse_dirent + an 8-byte name = 32 bytes; 4 of them fill 128 exactly
        fs.names = List.of("name0000", "name0001", "name0002", "name0003", "name0004");
        byte[] readIn = new Bytes().u64(0).u64(0).u32(128).u32(0).u64(0).u32(0).u32(0).bytes();
        byte[] reply = kernel.answer(request(Abi.READDIR, 13, 2, readIn));
        assertEquals("len 144 error 0 unique 13", header(reply));
        ByteBuffer b = le(reply);
        for (int i = 0; i < 4; i++) {
            int at = 16 + 32 * i;
            assertEquals(1000 + i, b.getLong(at), "ino");
            assertEquals(i + 1, b.getLong(at + 8), "the next entry's offset");
            assertEquals(8, b.getInt(at + 16), "namelen");
            assertEquals(8, b.getInt(at + 20), "DT_REG");
            assertEquals("name000" + i, new String(reply, at + 24, 8, StandardCharsets.US_ASCII));
        }
        readIn = new Bytes().u64(0).u64(0).u32(127).u32(0).u64(0).u32(0).u32(0).bytes();
        reply = kernel.answer(request(Abi.READDIR, 14, 2, readIn));
        assertEquals("len 112 error 0 unique 14", header(reply), "a byte short: the fourth entry waits");
        fs.names = List.of("odd");
        readIn = new Bytes().u64(0).u64(0).u32(4096).u32(0).u64(0).u32(0).u32(0).bytes();
        reply = kernel.answer(request(Abi.READDIR, 15, 2, readIn));
        assertEquals("len 48 error 0 unique 15", header(reply), "a 3-byte name padded to 8");
        assertArrayEquals(new byte[5], Arrays.copyOfRange(reply, 16 + 24 + 3, 48));
    }

    @Test
    void readPutsTheBytesRightAfterTheHeader() {
        byte[] readIn = new Bytes().u64(0).u64(100).u32(4096).u32(0).u64(0).u32(0).u32(0).bytes();
        byte[] reply = kernel.answer(request(Abi.READ, 16, 1L << 62 | 5, readIn));
        assertEquals("len 26 error 0 unique 16", header(reply));
        assertEquals("abcdefghij", new String(reply, 16, 10, StandardCharsets.US_ASCII));
    }


    @Test
    void dataPlacedByAlignmentHasTheHeaderRightBeforeIt() {
        byte[] readIn = new Bytes().u64(0).u64(0).u32(4096).u32(0).u64(0).u32(0).u32(0).bytes();
        byte[] reply = kernel.answer(request(Abi.READ, 33, 6, readIn));
        assertEquals("len 26 error 0 unique 33", header(reply));
        assertEquals("klmnopqrst", new String(reply, 16, 10, StandardCharsets.US_ASCII));
        reply = kernel.answer(request(Abi.READ, 34, 1L << 62 | 5, readIn));
        assertEquals("len 26 error 0 unique 34", header(reply), "the next reply starts where replies start");
        assertEquals("abcdefghij", new String(reply, 16, 10, StandardCharsets.US_ASCII));
    }

    @Test
    void interruptGetsNoReplyAndTheSessionGoesOn() {
        assertNull(kernel.answer(request(Abi.INTERRUPT, 17, 0, new Bytes().u64(7).bytes())));
        assertEquals("len 120 error 0 unique 18", header(kernel.answer(request(Abi.GETATTR, 18, 1,
                new Bytes().zeros(16).bytes()))));
    }

    @Test
    void aBatchForgetOfFileAndDirectoryNodes() {
        byte[] args = new Bytes().u32(3).u32(0).u64(1L << 62 | 9).u64(1).u64(2).u64(3).u64(1L << 62 | 10).u64(2).bytes();
        assertNull(kernel.answer(request(Abi.BATCH_FORGET, 0, 0, args)), "no reply");
        assertEquals(List.of("forget " + (1L << 62 | 9) + " 1", "forget 2 3", "forget " + (1L << 62 | 10) + " 2"),
                fs.calls);
        fs.calls.clear();
        assertNull(kernel.answer(request(Abi.FORGET, 0, 2, new Bytes().u64(4).bytes())));
        assertEquals(List.of("forget 2 4"), fs.calls);
        fs.calls.clear();
        byte[] cut = Arrays.copyOf(request(Abi.BATCH_FORGET, 0, 0, args), 40 + 8 + 16);
        Fixtures.le(cut).putInt(0, cut.length);
        kernel.answer(cut);
        assertEquals(List.of("forget " + (1L << 62 | 9) + " 1"), fs.calls, "a count past the request's end stops there");
    }

    @Test
    void anUnknownOpcodeIsENOSYSAndWritesAreEROFS() {
        assertEquals("len 16 error -38 unique 19", header(kernel.answer(request(4711, 19, 1, new byte[0]))));
        assertEquals("len 16 error -38 unique 20", header(kernel.answer(request(Abi.FLUSH, 20, 1, new byte[24]))));
        for (int opcode : new int[] {Abi.WRITE, Abi.SETATTR, Abi.MKDIR, Abi.UNLINK, Abi.CREATE, Abi.SETXATTR,
                Abi.RENAME2}) {
            assertEquals("len 16 error -30 unique 21", header(kernel.answer(request(opcode, 21, 1, new byte[64]))));
        }
        assertEquals("len 120 error 0 unique 22", header(kernel.answer(request(Abi.GETATTR, 22, 1, new byte[16]))));
    }

    @Test
    void aRequestShorterThanItsHeaderIsDropped() {
        byte[] bad = new Bytes().u32(12).u32(Abi.GETATTR).u32(0).bytes();
        assertNull(kernel.answer(bad));
        byte[] lying = request(Abi.GETATTR, 23, 1, new byte[16]);
        Fixtures.le(lying).putInt(0, 4096); // says it is longer than it is
        assertNull(kernel.answer(lying));
    }

    @Test
    void xattrSizesFollowTheProtocol() {
        byte[] ask = request(Abi.GETXATTR, 24, 1, new Bytes().u32(0).u32(0).raw(nul("user.x")).bytes());
        byte[] reply = kernel.answer(ask);
        assertEquals("len 24 error 0 unique 24", header(reply));
        assertEquals(6, le(reply).getInt(16), "size 0 asks for the length");
        reply = kernel.answer(request(Abi.GETXATTR, 25, 1, new Bytes().u32(3).u32(0).raw(nul("user.x")).bytes()));
        assertEquals("len 16 error -34 unique 25", header(reply), "ERANGE");
        reply = kernel.answer(request(Abi.GETXATTR, 26, 1, new Bytes().u32(64).u32(0).raw(nul("user.x")).bytes()));
        assertEquals("abcdef", new String(reply, 16, reply.length - 16, StandardCharsets.US_ASCII));
        reply = kernel.answer(request(Abi.GETXATTR, 27, 1, new Bytes().u32(64).u32(0).raw(nul("user.y")).bytes()));
        assertEquals("len 16 error -61 unique 27", header(reply), "ENODATA");
        reply = kernel.answer(request(Abi.LISTXATTR, 28, 1, new Bytes().u32(64).u32(0).bytes()));
        assertEquals("user.x\0", new String(reply, 16, reply.length - 16, StandardCharsets.US_ASCII));
    }

    @Test
    void opendirAndStatfsReplies() {
        byte[] reply = kernel.answer(request(Abi.OPENDIR, 29, 1, new Bytes().u32(0).u32(0).bytes()));
        assertEquals("len 32 error 0 unique 29", header(reply));
        assertEquals(99, le(reply).getLong(16));
        assertEquals(Abi.FOPEN_KEEP_CACHE | Abi.FOPEN_CACHE_DIR, le(reply).getInt(24));
        assertEquals("len 16 error -38 unique 30", header(kernel.answer(request(Abi.OPEN, 30, 5, new byte[8]))));
        reply = kernel.answer(request(Abi.STATFS, 31, 1, new byte[0]));
        assertEquals("len 96 error 0 unique 31", header(reply));
        ByteBuffer b = le(reply);
        assertEquals(10, b.getLong(16));
        assertEquals(3, b.getLong(16 + 24));
        assertEquals(131072, b.getInt(16 + 40));
        assertEquals(255, b.getInt(16 + 44));
        assertEquals(4096, b.getInt(16 + 48));
    }
}
