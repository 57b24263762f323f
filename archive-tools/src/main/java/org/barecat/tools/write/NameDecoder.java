package org.barecat.tools.write;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns names read as bytes (tar headers, zip entries, directory listings) into the text an archive
 * stores: exactly, or not at all. A name is decoded strictly in the source's encoding, UTF-8 unless
 * the user names another; a name its container declares UTF-8 (a pax record, the zip UTF-8 flag)
 * is read as UTF-8 when it is valid UTF-8.
 */
public final class NameDecoder {
    /** Names must be valid UTF-8. */
    public static final NameDecoder UTF_8 = new NameDecoder(StandardCharsets.UTF_8);

    private final Charset encoding;

    private NameDecoder(Charset encoding) {
        this.encoding = encoding;
    }

    /** Names are in {@code encoding} (one that writes ASCII as ASCII, so {@code /} is the byte 0x2F). */
    public static NameDecoder of(Charset encoding) {
        return encoding.equals(StandardCharsets.UTF_8) ? UTF_8 : new NameDecoder(encoding);
    }

    /** Whether {@code encoding} writes the ASCII characters as the same single bytes, as a file name needs. */
    public static boolean isAsciiCompatible(Charset encoding) {
        String ascii = "/.-_ azAZ09";
        return encoding.canEncode()
                && java.util.Arrays.equals(ascii.getBytes(encoding), ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** The source's encoding, as messages name it. */
    public String encodingName() {
        return encoding.name();
    }

    /** The text {@code raw} stands for in the source's encoding, or null when it is not valid there. */
    public String decode(byte[] raw) {
        return strictly(encoding, raw);
    }

    /**
     * For a name its container declares UTF-8: UTF-8 when it is valid UTF-8, else as {@link #decode}
     * (GNU tar, for one, puts names it cannot convert into pax records as raw bytes).
     */
    public String decodeDeclaredUtf8(byte[] raw) {
        String s = strictly(StandardCharsets.UTF_8, raw);
        return s != null || encoding.equals(StandardCharsets.UTF_8) ? s : decode(raw);
    }

    /** {@code raw} as strict UTF-8, or null when it is not valid UTF-8. */
    public static String utf8(byte[] raw) {
        return strictly(StandardCharsets.UTF_8, raw);
    }

    private static String strictly(Charset charset, byte[] raw) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * {@code raw} shown on one line: what is valid UTF-8 as text, every other byte and every control
     * character as {@code \xNN}, a backslash as {@code \\} (so {@code caf\xe9.txt} is unambiguous).
     */
    public static String escape(byte[] raw) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(raw.length + 1);
        StringBuilder s = new StringBuilder(raw.length + 16);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            out.flip();
            while (out.hasRemaining()) {
                char c = out.get();
                if (c == '\\') {
                    s.append("\\\\");
                } else if (c < 0x20 || c == 0x7f) {
                    s.append(String.format("\\x%02x", (int) c));
                } else {
                    s.append(c);
                }
            }
            out.clear();
            if (r.isUnderflow()) {
                return s.toString();
            }
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    s.append(String.format("\\x%02x", in.get() & 0xff));
                }
            }
        }
    }
}
