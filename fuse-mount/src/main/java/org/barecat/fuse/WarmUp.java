package org.barecat.fuse;

import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Channel;
import org.barecat.fuse.kernel.Errno;
import org.barecat.fuse.kernel.NativeBuffer;
import org.barecat.fuse.kernel.Session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.barecat.fuse.kernel.Abi.DIRENT;
import static org.barecat.fuse.kernel.Abi.ENTRY_OUT;
import static org.barecat.fuse.kernel.Abi.IN_HEADER;
import static org.barecat.fuse.kernel.Abi.OPEN_OUT;
import static org.barecat.fuse.kernel.Abi.OUT_HEADER;
import static org.barecat.fuse.kernel.Abi.READ_IN;
import static org.barecat.fuse.kernel.Abi.RELEASE_IN;

/**
 * Has a session answer the requests a {@code find} sends (LOOKUP, OPENDIR, READDIR, RELEASEDIR,
 * FORGET), made up here rather than read from the kernel, their replies kept here: every step of
 * answering a request runs, so the JIT compiles them before the first real request comes. Each
 * lookup it makes is forgotten again, and the kernel never hears of any of it.
 */
final class WarmUp implements Channel {
    /** What a READDIR asks for: a page, as the kernel does. */
    private static final int READDIR_SIZE = 4096;
    /** Uniques the kernel never gives. */
    private static final long UNIQUE_BASE = 1L << 62;

    private final Session session;
    private final Session.Worker worker;
    private final ByteBuffer request;
    private final int budget;
    private final BooleanSupplier until;
    private final int pid;
    /** The last reply, as the session wrote it into its own buffer. */
    private ByteBuffer reply;
    private int replyLength;
    private long unique = UNIQUE_BASE;
    private int made;
    /** Looked-up directories not yet listed, each holding one lookup that is forgotten when it is listed. */
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    private int rounds;
    private boolean filesToo;

    private WarmUp(Session session, int budget, BooleanSupplier until) {
        this.session = session;
        this.worker = session.worker();
        this.request = worker.requestBuffer().bytes();
        this.budget = budget;
        this.until = until;
        this.pid = (int) ProcessHandle.current().pid();
    }

    /**
     * Walks the tree from the root, breadth first and round again from the root when it has been
     * through, until {@code requests} requests have been answered or {@code until} says so (asked
     * between requests). The session must have answered INIT.
     *
     * @return the requests answered
     */
    static int run(Session session, int requests, BooleanSupplier until) {
        WarmUp warmUp = new WarmUp(session, requests, until);
        try {
            while (warmUp.goOn() && warmUp.listNext()) {
                // one directory at a time
            }
        } finally {
            while (!warmUp.pending.isEmpty()) {
                warmUp.forget(warmUp.pending.poll());
            }
        }
        return warmUp.made;
    }

    /**
     * Answers a made-up INIT as a current kernel would send it, for a session no kernel serves (the
     * class-data archive's training run).
     */
    static void initialize(Session session) {
        WarmUp w = new WarmUp(session, 1, () -> false);
        ByteBuffer r = w.request;
        int at = IN_HEADER.size();
        for (int i = 0; i < Abi.INIT_IN.size(); i++) {
            r.put(at + i, (byte) 0);
        }
        r.putInt(at + Abi.INIT_IN.at("major"), Abi.MAJOR);
        r.putInt(at + Abi.INIT_IN.at("minor"), Abi.MINOR);
        r.putInt(at + Abi.INIT_IN.at("max_readahead"), 128 * 1024);
        r.putInt(at + Abi.INIT_IN.at("flags"), (int) (Abi.ASYNC_READ | Abi.PARALLEL_DIROPS | Abi.MAX_PAGES
                | Abi.NO_OPEN_SUPPORT | Abi.NO_OPENDIR_SUPPORT | Abi.DO_READDIRPLUS | Abi.READDIRPLUS_AUTO));
        w.send(Abi.INIT, Abi.ROOT_ID, Abi.INIT_IN.size());
    }

    @Override
    public int receive(NativeBuffer into) {
        return -Errno.ENODEV; // never read from: requests are handed to the worker directly
    }

    @Override
    public int send(NativeBuffer from, int offset, int length) {
        reply = offset == 0 ? from.bytes() : from.bytes().slice(offset, length).order(from.bytes().order());
        replyLength = length;
        return 0;
    }

    private boolean goOn() {
        return made < budget && !until.getAsBoolean() && !session.ended();
    }

    /**
     * Lists the next directory and looks up its children. The first walk from the root looks up only
     * the directories, as a {@code find} does: READDIR and directory lookups are most of its requests.
     */
    private boolean listNext() {
        if (pending.isEmpty()) {
            filesToo = rounds++ > 0;
        }
        long dir = pending.isEmpty() ? Abi.ROOT_ID : pending.poll();
        try {
            List<byte[]> names = new ArrayList<>();
            List<Boolean> directories = new ArrayList<>();
            list(dir, names, directories);
            for (int i = 0; i < names.size() && goOn(); i++) {
                if (!filesToo && !directories.get(i)) {
                    continue;
                }
                long node = lookup(dir, names.get(i));
                if (node == 0) {
                    continue;
                }
                if (directories.get(i)) {
                    pending.add(node);
                } else {
                    forget(node);
                }
            }
            return true;
        } finally {
            if (dir != Abi.ROOT_ID) {
                forget(dir);
            }
        }
    }

    /** OPENDIR (with a handle, or answered ENOSYS: then handle 0), READDIR to the end or the budget, RELEASEDIR. */
    private void list(long dir, List<byte[]> names, List<Boolean> directories) {
        putZeros(8);
        send(Abi.OPENDIR, dir, 8);
        boolean opened = reply != null && error() == 0;
        if (!opened && error() != -Errno.ENOSYS) {
            return;
        }
        long handle = opened && reply != null ? reply.getLong(OUT_HEADER.size() + OPEN_OUT.at("fh")) : 0;
        try {
            long offset = 0;
            while (goOn() && names.size() < budget - made) {
                putZeros(READ_IN.size());
                int at = IN_HEADER.size();
                request.putLong(at + READ_IN.at("fh"), handle);
                request.putLong(at + READ_IN.at("offset"), offset);
                request.putInt(at + READ_IN.at("size"), READDIR_SIZE);
                send(Abi.READDIR, dir, READ_IN.size());
                if (error() != 0 || replyLength <= OUT_HEADER.size()) {
                    break;
                }
                for (int p = OUT_HEADER.size(); p + DIRENT.size() <= replyLength; ) {
                    offset = reply.getLong(p + DIRENT.at("off"));
                    int length = reply.getInt(p + DIRENT.at("namelen"));
                    byte[] name = new byte[length];
                    reply.get(p + DIRENT.size(), name);
                    if (!(length == 1 && name[0] == '.') && !(length == 2 && name[0] == '.' && name[1] == '.')) {
                        names.add(name);
                        directories.add(reply.getInt(p + DIRENT.at("type")) == Abi.DT_DIR);
                    }
                    p += (DIRENT.size() + length + 7) & ~7;
                }
            }
        } finally {
            if (opened) {
                putZeros(RELEASE_IN.size());
                request.putLong(IN_HEADER.size() + RELEASE_IN.at("fh"), handle);
                send(Abi.RELEASEDIR, dir, RELEASE_IN.size());
            }
        }
    }

    /** LOOKUP of {@code name} in {@code dir}: the child's node id, or 0 when there is none. */
    private long lookup(long dir, byte[] name) {
        request.put(IN_HEADER.size(), name);
        request.put(IN_HEADER.size() + name.length, (byte) 0);
        send(Abi.LOOKUP, dir, name.length + 1);
        return reply == null || error() != 0 ? 0 : reply.getLong(OUT_HEADER.size() + ENTRY_OUT.at("nodeid"));
    }

    /** FORGET one lookup of {@code node} (no reply). */
    private void forget(long node) {
        request.putLong(IN_HEADER.size() + Abi.FORGET_IN.at("nlookup"), 1);
        send(Abi.FORGET, node, Abi.FORGET_IN.size());
    }

    private void putZeros(int arguments) {
        for (int i = 0; i < arguments; i++) {
            request.put(IN_HEADER.size() + i, (byte) 0);
        }
    }

    /** Writes the header before {@code arguments} bytes already in place, and has the request answered. */
    private void send(int opcode, long node, int arguments) {
        int length = IN_HEADER.size() + arguments;
        request.putInt(IN_HEADER.at("len"), length);
        request.putInt(IN_HEADER.at("opcode"), opcode);
        request.putLong(IN_HEADER.at("unique"), unique++);
        request.putLong(IN_HEADER.at("nodeid"), node);
        request.putInt(IN_HEADER.at("uid"), 0);
        request.putInt(IN_HEADER.at("gid"), 0);
        request.putInt(IN_HEADER.at("pid"), pid);
        request.putInt(IN_HEADER.at("total_extlen"), 0);
        reply = null;
        replyLength = 0;
        worker.answer(length, this);
        made++;
    }

    /** The last reply's error: 0 or a negative errno (0 too when there was none, as for FORGET). */
    private int error() {
        return reply == null ? 0 : reply.getInt(OUT_HEADER.at("error"));
    }
}
