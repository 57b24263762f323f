package org.barecat.fuse;

import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Channel;
import org.barecat.fuse.kernel.Errno;
import org.barecat.fuse.kernel.Filesystem;
import org.barecat.fuse.kernel.NativeBuffer;
import org.barecat.fuse.kernel.Session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.barecat.fuse.kernel.Abi.ATTR;
import static org.barecat.fuse.kernel.Abi.ATTR_OUT;
import static org.barecat.fuse.kernel.Abi.DIRENT;
import static org.barecat.fuse.kernel.Abi.DIRENTPLUS;
import static org.barecat.fuse.kernel.Abi.ENTRY_OUT;
import static org.barecat.fuse.kernel.Abi.IN_HEADER;
import static org.barecat.fuse.kernel.Abi.OUT_HEADER;
import static org.barecat.fuse.kernel.Abi.READ_IN;

/**
 * Drives a {@link Filesystem} as the kernel would, with no mount: each call writes a request's bytes,
 * has a {@link Session} worker answer it, and reads the reply's bytes back.
 */
final class KernelDriver implements Channel {
    private final Session session;
    private final Session.Worker worker;
    private final ByteBuffer request;
    private ByteBuffer reply;
    private int replyLength;
    private long unique = 1;

    /** A session over {@code fs} after an INIT from a kernel offering {@code flags}, agreeing to at most {@code maxMinor}. */
    KernelDriver(Filesystem fs, int maxMinor, long flags, boolean readdirPlus) {
        session = new Session(fs, null, new Session.Settings(maxMinor, readdirPlus, 0, 0), null);
        worker = session.worker();
        request = worker.requestBuffer().bytes();
        int at = IN_HEADER.size();
        for (int i = 0; i < Abi.INIT_IN.size(); i++) {
            request.put(at + i, (byte) 0);
        }
        request.putInt(at + Abi.INIT_IN.at("major"), 7);
        request.putInt(at + Abi.INIT_IN.at("minor"), Abi.MINOR);
        request.putInt(at + Abi.INIT_IN.at("max_readahead"), 131072);
        request.putInt(at + Abi.INIT_IN.at("flags"), (int) flags);
        check(send(Abi.INIT, 0, Abi.INIT_IN.size()), "INIT");
    }

    /** A kernel as current as this layer: zero-message opens, READDIRPLUS offered (taken when asked). */
    static final long CURRENT = Abi.ASYNC_READ | Abi.PARALLEL_DIROPS | Abi.MAX_PAGES | Abi.NO_OPEN_SUPPORT
            | Abi.NO_OPENDIR_SUPPORT | Abi.DO_READDIRPLUS | Abi.READDIRPLUS_AUTO;

    Session session() {
        return session;
    }

    @Override
    public int receive(NativeBuffer into) {
        return -Errno.ENODEV;
    }

    @Override
    public int send(NativeBuffer from, int offset, int length) {
        reply = from.bytes().slice(offset, length).order(from.bytes().order());
        replyLength = length;
        return 0;
    }

    /** A looked-up entry: its node id and attributes, or the error. */
    record Looked(int error, long node, String attributes) {
    }

    Looked lookup(long parent, String name) {
        return lookup(parent, name.getBytes(StandardCharsets.UTF_8));
    }

    Looked lookup(long parent, byte[] name) {
        request.put(IN_HEADER.size(), name);
        request.put(IN_HEADER.size() + name.length, (byte) 0);
        int error = send(Abi.LOOKUP, parent, name.length + 1);
        if (error != 0) {
            return new Looked(error, 0, null);
        }
        long node = reply.getLong(OUT_HEADER.size() + ENTRY_OUT.at("nodeid"));
        return new Looked(node == 0 ? -Errno.ENOENT : 0, node, attributes(OUT_HEADER.size() + ENTRY_OUT.at("attr")));
    }

    /** getattr's error, or the attributes as {@link #attributes} describes them. */
    String getattr(long node) {
        putZeros(Abi.GETATTR_IN.size());
        int error = send(Abi.GETATTR, node, Abi.GETATTR_IN.size());
        return error != 0 ? Errno.name(-error) : attributes(OUT_HEADER.size() + ATTR_OUT.at("attr"));
    }

    private String attributes(int at) {
        long ns = reply.getLong(at + ATTR.at("mtime")) * 1_000_000_000L + reply.getInt(at + ATTR.at("mtimensec"));
        return "ino=" + reply.getLong(at + ATTR.at("ino")) + " mode=" + Integer.toOctalString(reply.getInt(at + ATTR.at("mode")))
                + " uid=" + reply.getInt(at + ATTR.at("uid")) + " gid=" + reply.getInt(at + ATTR.at("gid"))
                + " size=" + reply.getLong(at + ATTR.at("size")) + " nlink=" + reply.getInt(at + ATTR.at("nlink"))
                + " mtime=" + ns;
    }

    /** OPEN or OPENDIR: the handle, or the negative errno. */
    long open(int opcode, long node, int flags) {
        putZeros(Abi.OPEN_IN.size());
        request.putInt(IN_HEADER.size() + Abi.OPEN_IN.at("flags"), flags);
        int error = send(opcode, node, Abi.OPEN_IN.size());
        return error != 0 ? error : reply.getLong(OUT_HEADER.size() + Abi.OPEN_OUT.at("fh"));
    }

    void release(int opcode, long node, long handle) {
        putZeros(Abi.RELEASE_IN.size());
        request.putLong(IN_HEADER.size() + Abi.RELEASE_IN.at("fh"), handle);
        check(send(opcode, node, Abi.RELEASE_IN.size()), "release");
    }

    /** One entry of a listing. */
    record Dirent(String name, long ino, int type, long nextOffset, long node, String attributes) {
    }

    /** One READDIR (or READDIRPLUS) of at most {@code size} bytes: the entries, or null with the error in {@link #lastError}. */
    List<Dirent> readdir(long node, long handle, long offset, int size, boolean plus) {
        putZeros(READ_IN.size());
        request.putLong(IN_HEADER.size() + READ_IN.at("fh"), handle);
        request.putLong(IN_HEADER.size() + READ_IN.at("offset"), offset);
        request.putInt(IN_HEADER.size() + READ_IN.at("size"), size);
        lastError = send(plus ? Abi.READDIRPLUS : Abi.READDIR, node, READ_IN.size());
        if (lastError != 0) {
            return null;
        }
        List<Dirent> entries = new ArrayList<>();
        int record = plus ? DIRENTPLUS.size() : DIRENT.size();
        int direntAt = plus ? DIRENTPLUS.at("dirent") : 0;
        for (int p = OUT_HEADER.size(); p + record <= replyLength; ) {
            int d = p + direntAt;
            int length = reply.getInt(d + DIRENT.at("namelen"));
            byte[] name = new byte[length];
            reply.get(d + DIRENT.size(), name);
            entries.add(new Dirent(new String(name, StandardCharsets.UTF_8), reply.getLong(d + DIRENT.at("ino")),
                    reply.getInt(d + DIRENT.at("type")), reply.getLong(d + DIRENT.at("off")),
                    plus ? reply.getLong(p + DIRENTPLUS.at("entry_out.nodeid")) : 0,
                    plus ? attributes(p + DIRENTPLUS.at("entry_out.attr")) : null));
            p += (record + length + 7) & ~7;
        }
        return entries;
    }

    int lastError;

    /** READ: the bytes, or null with the error in {@link #lastError}. */
    byte[] read(long node, long handle, long offset, int size) {
        putZeros(READ_IN.size());
        request.putLong(IN_HEADER.size() + READ_IN.at("fh"), handle);
        request.putLong(IN_HEADER.size() + READ_IN.at("offset"), offset);
        request.putInt(IN_HEADER.size() + READ_IN.at("size"), size);
        lastError = send(Abi.READ, node, READ_IN.size());
        if (lastError != 0) {
            return null;
        }
        byte[] data = new byte[replyLength - OUT_HEADER.size()];
        reply.get(OUT_HEADER.size(), data);
        return data;
    }

    /** GETXATTR with a buffer of {@code size} bytes: the value (size 0: its length as 4 bytes), or null with {@link #lastError}. */
    byte[] getxattr(long node, String name, int size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        putZeros(Abi.GETXATTR_IN.size());
        request.putInt(IN_HEADER.size() + Abi.GETXATTR_IN.at("size"), size);
        request.put(IN_HEADER.size() + Abi.GETXATTR_IN.size(), n);
        request.put(IN_HEADER.size() + Abi.GETXATTR_IN.size() + n.length, (byte) 0);
        return payload(send(Abi.GETXATTR, node, Abi.GETXATTR_IN.size() + n.length + 1));
    }

    byte[] listxattr(long node, int size) {
        putZeros(Abi.GETXATTR_IN.size());
        request.putInt(IN_HEADER.size() + Abi.GETXATTR_IN.at("size"), size);
        return payload(send(Abi.LISTXATTR, node, Abi.GETXATTR_IN.size()));
    }

    /** STATFS: its error, or blocks and files. */
    String statfs(long node) {
        int error = send(Abi.STATFS, node, 0);
        return error != 0 ? Errno.name(-error) : "blocks=" + reply.getLong(OUT_HEADER.size())
                + " files=" + reply.getLong(OUT_HEADER.size() + Abi.KSTATFS.at("files"));
    }

    void forget(long node, long lookups) {
        request.putLong(IN_HEADER.size(), lookups);
        send(Abi.FORGET, node, 8);
    }

    /** Any request, with {@code arguments} zero bytes: its error. */
    int raw(int opcode, long node, int arguments) {
        putZeros(arguments);
        return send(opcode, node, arguments);
    }

    private byte[] payload(int error) {
        lastError = error;
        if (error != 0) {
            return null;
        }
        byte[] data = new byte[replyLength - OUT_HEADER.size()];
        reply.get(OUT_HEADER.size(), data);
        return data;
    }

    private void putZeros(int n) {
        for (int i = 0; i < n; i++) {
            request.put(IN_HEADER.size() + i, (byte) 0);
        }
    }

    /** Has the request answered: the reply's error (0 also when there was no reply). */
    private int send(int opcode, long node, int arguments) {
        int length = IN_HEADER.size() + arguments;
        request.putInt(IN_HEADER.at("len"), length);
        request.putInt(IN_HEADER.at("opcode"), opcode);
        request.putLong(IN_HEADER.at("unique"), unique++);
        request.putLong(IN_HEADER.at("nodeid"), node);
        request.putLong(IN_HEADER.at("uid"), 0);
        request.putLong(IN_HEADER.at("pid"), 1);
        reply = null;
        replyLength = 0;
        worker.answer(length, this);
        return reply == null ? 0 : reply.getInt(OUT_HEADER.at("error"));
    }

    private static void check(int error, String what) {
        if (error != 0) {
            throw new AssertionError(what + ": " + Errno.name(-error));
        }
    }
}
