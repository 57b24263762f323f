package org.barecat.tools.convert;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;

/** The archive formats {@code convert} knows, told apart by file name and, for input, by content. */
public enum ArchiveFormat {
    BARECAT, TAR, TAR_GZ, TAR_BZ2, TAR_XZ, TAR_ZST, ZIP;

    /** The format a file name says, or {@link #BARECAT} for anything that is not a tar or zip name. */
    public static ArchiveFormat byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".tar")) {
            return TAR;
        }
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return TAR_GZ;
        }
        if (n.endsWith(".tar.bz2") || n.endsWith(".tbz2") || n.endsWith(".tbz")) {
            return TAR_BZ2;
        }
        if (n.endsWith(".tar.xz") || n.endsWith(".txz")) {
            return TAR_XZ;
        }
        if (n.endsWith(".tar.zst") || n.endsWith(".tar.zstd") || n.endsWith(".tzst")) {
            return TAR_ZST;
        }
        if (n.endsWith(".zip")) {
            return ZIP;
        }
        return BARECAT;
    }

    public boolean isTar() {
        return this != BARECAT && this != ZIP;
    }

    /** Wraps {@code out} in this format's compressor (tar formats only). */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case TAR -> out;
            case TAR_GZ -> new GzipCompressorOutputStream(out);
            case TAR_BZ2 -> new BZip2CompressorOutputStream(out);
            case TAR_XZ -> new XZCompressorOutputStream(out);
            case TAR_ZST -> new ZstdCompressorOutputStream(out);
            default -> throw new IllegalStateException(this + " is not a tar format");
        };
    }

    /**
     * A stream of tar bytes from {@code in}, which may be compressed with gzip, bzip2, xz or zstd
     * (recognised by their magic numbers, whatever the name says).
     */
    public static InputStream decompressedTar(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(8);
        byte[] head = b.readNBytes(6);
        b.reset();
        if (startsWith(head, 0x1f, 0x8b)) {
            return new GzipCompressorInputStream(b, true);
        }
        if (startsWith(head, 'B', 'Z', 'h')) {
            return new BZip2CompressorInputStream(b, true);
        }
        if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return new XZCompressorInputStream(b, true);
        }
        if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return new ZstdCompressorInputStream(b);
        }
        return b;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        return Arrays.equals(Arrays.copyOf(head, magic.length), toBytes(magic));
    }

    private static byte[] toBytes(int[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
