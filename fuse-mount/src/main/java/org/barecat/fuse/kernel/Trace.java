package org.barecat.fuse.kernel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code -d}: one line per request and one per reply, printed by the same path that serves them.
 * Lines name the request's unique number, so a reply can be matched to its request when several are
 * in flight.
 */
public final class Trace {
    private final PrintStream out;

    public Trace(PrintStream out) {
        this.out = out;
    }

    void request(Request r, int opcode) {
        StringBuilder line = new StringBuilder(96).append("unique ").append(r.unique()).append(": ")
                .append(opcodeName(opcode)).append(" node ").append(r.node());
        switch (opcode) {
            case Abi.LOOKUP -> line.append(" name ").append(quoted(r.name(0)));
            case Abi.READ, Abi.READDIR, Abi.READDIRPLUS -> line.append(" fh ").append(r.arg64(Abi.READ_IN.at("fh")))
                    .append(" offset ").append(r.arg64(Abi.READ_IN.at("offset")))
                    .append(" size ").append(r.arg32(Abi.READ_IN.at("size")) & 0xffffffffL);
            case Abi.FORGET -> line.append(" nlookup ").append(r.arg64(Abi.FORGET_IN.at("nlookup")));
            case Abi.BATCH_FORGET -> line.append(" count ").append(r.arg32(Abi.BATCH_FORGET_IN.at("count")));
            case Abi.GETXATTR -> line.append(" name ").append(quoted(r.name(Abi.GETXATTR_IN.size())));
            case Abi.INIT -> line.append(" kernel ").append(r.arg32(Abi.INIT_IN.at("major"))).append('.')
                    .append(r.arg32(Abi.INIT_IN.at("minor")));
            case Abi.INTERRUPT -> line.append(" of unique ").append(r.arg64(Abi.INTERRUPT_IN.at("unique")));
            default -> { }
        }
        line.append(" (uid ").append(r.uid()).append(", pid ").append(r.pid()).append(')');
        print(line);
    }

    void reply(Reply reply, int opcode, int result, int sent) {
        StringBuilder line = new StringBuilder(96).append("unique ").append(reply.unique()).append(": ");
        if (result < 0) {
            line.append(Errno.name(-result));
        } else {
            line.append("ok, ").append(reply.length).append(" bytes");
            switch (opcode) {
                case Abi.LOOKUP -> line.append(reply.entryNode() == 0 ? ", no such entry"
                        : ", node " + reply.entryNode() + ", mode 0" + Integer.toOctalString(reply.attrMode())
                        + ", size " + reply.attrSize());
                case Abi.GETATTR -> line.append(", mode 0").append(Integer.toOctalString(reply.attrMode()))
                        .append(", size ").append(reply.attrSize());
                case Abi.INIT -> line.append(", protocol ").append(Abi.MAJOR).append('.')
                        .append(reply.payload32(Abi.INIT_OUT.at("minor")))
                        .append(", flags 0x").append(Integer.toHexString(reply.payload32(Abi.INIT_OUT.at("flags"))));
                case Abi.OPEN, Abi.OPENDIR -> line.append(", fh ").append(reply.payload64(Abi.OPEN_OUT.at("fh")));
                default -> { }
            }
        }
        if (sent != 0) {
            line.append(" (not delivered: ").append(Errno.name(-sent)).append(')');
        }
        print(line);
    }

    private void print(StringBuilder line) {
        synchronized (out) {
            out.println(line);
        }
    }

    private static String quoted(byte[] name) {
        return name == null ? "(none)" : '"' + new String(name, StandardCharsets.UTF_8) + '"';
    }

    static String opcodeName(int opcode) {
        return switch (opcode) {
            case Abi.LOOKUP -> "LOOKUP";
            case Abi.FORGET -> "FORGET";
            case Abi.GETATTR -> "GETATTR";
            case Abi.SETATTR -> "SETATTR";
            case Abi.READLINK -> "READLINK";
            case Abi.SYMLINK -> "SYMLINK";
            case Abi.MKNOD -> "MKNOD";
            case Abi.MKDIR -> "MKDIR";
            case Abi.UNLINK -> "UNLINK";
            case Abi.RMDIR -> "RMDIR";
            case Abi.RENAME -> "RENAME";
            case Abi.LINK -> "LINK";
            case Abi.OPEN -> "OPEN";
            case Abi.READ -> "READ";
            case Abi.WRITE -> "WRITE";
            case Abi.STATFS -> "STATFS";
            case Abi.RELEASE -> "RELEASE";
            case Abi.FSYNC -> "FSYNC";
            case Abi.SETXATTR -> "SETXATTR";
            case Abi.GETXATTR -> "GETXATTR";
            case Abi.LISTXATTR -> "LISTXATTR";
            case Abi.REMOVEXATTR -> "REMOVEXATTR";
            case Abi.FLUSH -> "FLUSH";
            case Abi.INIT -> "INIT";
            case Abi.OPENDIR -> "OPENDIR";
            case Abi.READDIR -> "READDIR";
            case Abi.RELEASEDIR -> "RELEASEDIR";
            case Abi.FSYNCDIR -> "FSYNCDIR";
            case Abi.GETLK -> "GETLK";
            case Abi.SETLK -> "SETLK";
            case Abi.SETLKW -> "SETLKW";
            case Abi.ACCESS -> "ACCESS";
            case Abi.CREATE -> "CREATE";
            case Abi.INTERRUPT -> "INTERRUPT";
            case Abi.BMAP -> "BMAP";
            case Abi.DESTROY -> "DESTROY";
            case Abi.IOCTL -> "IOCTL";
            case Abi.POLL -> "POLL";
            case Abi.NOTIFY_REPLY -> "NOTIFY_REPLY";
            case Abi.BATCH_FORGET -> "BATCH_FORGET";
            case Abi.FALLOCATE -> "FALLOCATE";
            case Abi.READDIRPLUS -> "READDIRPLUS";
            case Abi.RENAME2 -> "RENAME2";
            case Abi.LSEEK -> "LSEEK";
            case Abi.COPY_FILE_RANGE -> "COPY_FILE_RANGE";
            case Abi.SYNCFS -> "SYNCFS";
            case Abi.TMPFILE -> "TMPFILE";
            default -> "opcode " + opcode;
        };
    }
}
