package org.barecat.fuse.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Requests written byte by byte as the kernel writes them (little-endian, offsets from
 * {@code linux/fuse.h} spelled out here rather than taken from {@link Abi}), a channel that keeps the
 * replies, and a session worker to answer them: the protocol layer with no mount.
 */
final class Fixtures implements Channel {
    final List<byte[]> replies = new ArrayList<>();
    /** What {@link #send} answers: 0, or a negative errno to play a kernel that dropped the reply. */
    int sendResult;
    private final Session.Worker worker;

    Fixtures(Session session) {
        this.worker = session.worker();
    }

    @Override
    public int receive(NativeBuffer into) {
        return -Errno.ENODEV;
    }

    @Override
    public int send(NativeBuffer from, int offset, int length) {
        byte[] bytes = new byte[length];
        from.bytes().get(offset, bytes);
        replies.add(bytes);
        return sendResult;
    }

    /** Has the worker answer {@code request}; the reply, or null when there was none. */
    byte[] answer(byte[] request) {
        int before = replies.size();
        worker.requestBuffer().bytes().put(0, request);
        worker.answer(request.length, this);
        return replies.size() == before ? null : replies.get(replies.size() - 1);
    }

    /** A request: {@code fuse_in_header} (len, opcode, unique, nodeid, uid, gid, pid, total_extlen, padding), then {@code args}. */
    static byte[] request(int opcode, long unique, long node, byte[] args) {
        return new Bytes().u32(40 + args.length).u32(opcode).u64(unique).u64(node).u32(1000).u32(1000).u32(4242)
                .u16(0).u16(0).raw(args).bytes();
    }

    /** Builds little-endian bytes. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u16(int v) {
            out.write(v);
            out.write(v >>> 8);
            return this;
        }

        Bytes u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Bytes u64(long v) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes zeros(int n) {
            return raw(new byte[n]);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Reads little-endian fields of a reply. */
    static ByteBuffer le(byte[] reply) {
        return ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A reply's {@code fuse_out_header}: len, error, unique. */
    static String header(byte[] reply) {
        ByteBuffer b = le(reply);
        return "len " + b.getInt(0) + " error " + b.getInt(4) + " unique " + b.getLong(8);
    }

    static byte[] nul(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }
}
