package org.barecat.fuse.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.barecat.fuse.kernel.Abi.IN_HEADER;

/** A request as the kernel wrote it into a buffer: {@code fuse_in_header}, then the opcode's arguments. */
final class Request {
    private static final int LEN = IN_HEADER.at("len");
    private static final int OPCODE = IN_HEADER.at("opcode");
    private static final int UNIQUE = IN_HEADER.at("unique");
    private static final int NODEID = IN_HEADER.at("nodeid");
    private static final int UID = IN_HEADER.at("uid");
    private static final int PID = IN_HEADER.at("pid");
    /** Where the arguments start. */
    static final int ARGS = IN_HEADER.size();

    private final ByteBuffer in;
    /** Bytes the kernel wrote (at least {@link #ARGS}). */
    private int length;

    Request(ByteBuffer in) {
        this.in = in;
    }

    /** Takes the {@code length} bytes now in the buffer as the request; false when they cannot be one. */
    boolean take(int length) {
        this.length = length;
        return length >= ARGS && (in.getInt(LEN) & 0xffffffffL) == length;
    }

    int opcode() {
        return in.getInt(OPCODE);
    }

    long unique() {
        return in.getLong(UNIQUE);
    }

    long node() {
        return in.getLong(NODEID);
    }

    int uid() {
        return in.getInt(UID);
    }

    int pid() {
        return in.getInt(PID);
    }

    int length() {
        return length;
    }

    /** Whether the arguments hold at least {@code layout}. */
    boolean has(Layout layout) {
        return length - ARGS >= layout.size();
    }

    /** The 32-bit argument field at {@code offset} into the arguments (a {@link Layout#at} of the opcode's struct). */
    int arg32(int offset) {
        return in.getInt(ARGS + offset);
    }

    long arg64(int offset) {
        return in.getLong(ARGS + offset);
    }

    /**
     * The NUL-terminated name starting {@code skip} bytes into the arguments (LOOKUP: 0), without
     * its NUL; null when there is none within the request.
     */
    byte[] name(int skip) {
        int from = ARGS + skip;
        for (int i = from; i < length; i++) {
            if (in.get(i) == 0) {
                byte[] name = new byte[i - from];
                in.get(from, name);
                return name;
            }
        }
        return null;
    }

    /** {@link #name} as text (xattr names are text). */
    String text(int skip) {
        byte[] name = name(skip);
        return name == null ? null : new String(name, StandardCharsets.UTF_8);
    }
}
