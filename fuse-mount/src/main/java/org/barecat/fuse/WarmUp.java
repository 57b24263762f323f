package org.barecat.fuse;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.barecat.fuse.FuseSession.FUSE_FORGET;
import static org.barecat.fuse.FuseSession.FUSE_LOOKUP;
import static org.barecat.fuse.FuseSession.FUSE_OPENDIR;
import static org.barecat.fuse.FuseSession.FUSE_READDIR;
import static org.barecat.fuse.FuseSession.FUSE_RELEASEDIR;
import static org.barecat.fuse.FuseSession.IN_HEADER;
import static org.barecat.fuse.FuseSession.OUT_HEADER;

/**
 * Sends a mounted file system the requests a {@code find} sends (LOOKUP, OPENDIR, READDIR,
 * RELEASEDIR, FORGET), made up here rather than read from the kernel, and drops the replies: every
 * step of answering a request from the kernel runs (libfuse, jnr's calls into Java, the callbacks,
 * the replies), so the JIT compiles them before the first real request comes. A warm-up through
 * Java calls alone (what there was before) left those steps to be compiled during the first
 * {@code find} after a mount, which took 1.4-2 times as long as later ones: the JIT log shows some
 * 200 methods of libfuse's bindings, jnr-fuse and the reply code compiled during it.
 * <p>
 * It changes nothing a request could see: each lookup it makes is forgotten again, so libfuse's
 * table of nodes ends as it was, and the kernel never hears of it.
 */
final class WarmUp {
    private static final long ROOT = 1; // FUSE_ROOT_ID
    /** What a READDIR asks for: a page, as the kernel does. */
    private static final int READDIR_SIZE = 4096;
    private static final int DT_DIR = 4;
    private static final int ENOSYS = 38;
    /** Uniques the kernel never gives: replies to these go nowhere anyway, and no INTERRUPT names them. */
    private static final long UNIQUE_BASE = 1L << 62;
    /** How long to wait for the kernel's INIT, which comes once the mount shows. */
    private static final long INIT_TIMEOUT_MS = 5_000;

    private final FuseSession.Worker worker;
    private final Pointer request;
    /** The last reply: {@code struct fuse_out_header}, then its payload (cut at the buffer's end). */
    private final Pointer reply;
    private final int replyCapacity;
    private final int pid;
    private final int budget;
    private final BooleanSupplier until;
    private long unique = UNIQUE_BASE;
    private int made;
    /** Looked-up directories not yet listed, each holding one lookup that is forgotten when it is listed. */
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    /** Walks from the root begun so far: the first looks up directories only, later ones files too. */
    private int rounds;
    private boolean filesToo;

    private WarmUp(FuseSession session, int budget, BooleanSupplier until) {
        this.budget = budget;
        this.until = until;
        Runtime runtime = Runtime.getSystemRuntime();
        this.replyCapacity = OUT_HEADER + 64 * 1024;
        this.reply = Memory.allocateDirect(runtime, replyCapacity, true);
        this.pid = Posix.pid();
        this.worker = session.offlineWorker((channel, iov, count) -> { // keeps the reply, cut at the buffer's end
            long at = 0;
            for (int i = 0; i < count; i++) {
                Pointer base = iov.getPointer(i * 2L * runtime.addressSize());
                long length = Math.min(iov.getLong((i * 2L + 1) * runtime.addressSize()), replyCapacity - at);
                if (length > 0) {
                    reply.transferFrom(at, base, 0, length);
                    at += length;
                }
            }
            return 0;
        });
        this.request = worker.mem;
    }

    /**
     * Walks the tree from the root, breadth first and round again from the root when it has been
     * through, until {@code requests} requests have been answered or {@code until} says so (asked
     * between requests).
     *
     * @return the requests answered (0 when the session had not started or has ended)
     */
    static int run(FuseSession session, int requests, BooleanSupplier until) {
        try {
            if (!session.awaitInitialized(INIT_TIMEOUT_MS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
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

    private boolean goOn() {
        return made < budget && !until.getAsBoolean();
    }

    /**
     * Lists the next directory and looks up its children; false when the session answered nothing.
     * The first walk from the root looks up only the directories, as a {@code find} does: READDIR
     * and the lookups of directories are most of its requests, and looking up every file on the
     * way left them so few before the budget ran out that the JIT compiled them during the first
     * {@code find} after a mount.
     */
    private boolean listNext() {
        if (pending.isEmpty()) {
            filesToo = rounds++ > 0;
        }
        long dir = pending.isEmpty() ? ROOT : pending.poll();
        try {
            List<byte[]> names = new ArrayList<>();
            List<Boolean> directories = new ArrayList<>();
            if (!list(dir, names, directories)) {
                return false;
            }
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
            if (dir != ROOT) {
                forget(dir);
            }
        }
    }

    /**
     * OPENDIR, READDIR until the end (or the budget), RELEASEDIR; the children's names and kinds go
     * to the lists. An OPENDIR answered with ENOSYS is a zero-message opendir: as the kernel then
     * does, READDIR with handle 0, and no RELEASEDIR.
     */
    private boolean list(long dir, List<byte[]> names, List<Boolean> directories) {
        request.putInt(IN_HEADER, 0); // fuse_open_in: flags (O_RDONLY), unused
        request.putInt(IN_HEADER + 4, 0);
        if (!send(FUSE_OPENDIR, dir, 8)) {
            return false;
        }
        boolean opened = error() == 0;
        if (!opened && error() != -ENOSYS) {
            return true;
        }
        long handle = opened ? reply.getLong(OUT_HEADER) : 0; // fuse_open_out.fh
        try {
            long offset = 0;
            while (goOn() && names.size() < budget - made) { // no more names than lookups to come: bounded memory
                request.putLong(IN_HEADER, handle); // fuse_read_in: fh, offset, size, read_flags, lock_owner, flags, padding
                request.putLong(IN_HEADER + 8, offset);
                request.putInt(IN_HEADER + 16, READDIR_SIZE);
                request.putInt(IN_HEADER + 20, 0);
                request.putLong(IN_HEADER + 24, 0);
                request.putInt(IN_HEADER + 32, 0);
                request.putInt(IN_HEADER + 36, 0);
                if (!send(FUSE_READDIR, dir, 40) || error() != 0) {
                    break;
                }
                int end = Math.min(reply.getInt(0), replyCapacity); // fuse_out_header.len
                if (end <= OUT_HEADER) {
                    break;
                }
                for (int p = OUT_HEADER; p + 24 <= end; ) { // struct fuse_dirent: ino, off, namelen, type, name
                    offset = reply.getLong(p + 8);
                    int length = reply.getInt(p + 16);
                    byte[] name = new byte[length];
                    reply.get(p + 24, name, 0, length);
                    if (!(length == 1 && name[0] == '.') && !(length == 2 && name[0] == '.' && name[1] == '.')) {
                        names.add(name);
                        directories.add(reply.getInt(p + 20) == DT_DIR);
                    }
                    p += (24 + length + 7) & ~7;
                }
            }
        } finally {
            if (opened) {
                request.putLong(IN_HEADER, handle); // fuse_release_in: fh, flags, release_flags, lock_owner
                request.putInt(IN_HEADER + 8, 0);
                request.putInt(IN_HEADER + 12, 0);
                request.putLong(IN_HEADER + 16, 0);
                send(FUSE_RELEASEDIR, dir, 24);
            }
        }
        return true;
    }

    /** LOOKUP of {@code name} in {@code dir}: the child's node id, or 0 when there is none. */
    private long lookup(long dir, byte[] name) {
        request.put(IN_HEADER, name, 0, name.length);
        request.putByte(IN_HEADER + name.length, (byte) 0);
        if (!send(FUSE_LOOKUP, dir, name.length + 1) || error() != 0) {
            return 0;
        }
        return reply.getLong(OUT_HEADER); // fuse_entry_out.nodeid
    }

    /** FORGET one lookup of {@code node} (libfuse sends no reply). */
    private void forget(long node) {
        request.putLong(IN_HEADER, 1); // fuse_forget_in.nlookup
        send(FUSE_FORGET, node, 8);
    }

    /** Writes the header ({@code struct fuse_in_header}) before {@code arguments} bytes already in place, and has it answered. */
    private boolean send(int opcode, long node, int arguments) {
        int length = IN_HEADER + arguments;
        request.putInt(0, length);
        request.putInt(4, opcode);
        request.putLong(8, unique++);
        request.putLong(16, node);
        request.putInt(24, 0); // uid, gid: root's, whom libfuse lets through whatever the mount's options
        request.putInt(28, 0);
        request.putInt(32, pid);
        request.putInt(36, 0);
        reply.putInt(0, 0);
        reply.putInt(4, 0);
        if (!worker.answerOffline(length)) {
            return false;
        }
        made++;
        return true;
    }

    /** The last reply's error: 0 or a negative errno. */
    private int error() {
        return reply.getInt(4);
    }
}
