package org.barecat.tools.write;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameDecoderTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void decodesStrictlyOrNotAtAll() {
        byte[] latin1 = bytes('c', 'a', 'f', 0xe9);
        assertNull(NameDecoder.UTF_8.decode(latin1));
        assertEquals("caf\u00e9", NameDecoder.of(StandardCharsets.ISO_8859_1).decode(latin1));
        assertEquals("caf\u00e9", NameDecoder.UTF_8.decode("caf\u00e9".getBytes(StandardCharsets.UTF_8)));
        assertNull(NameDecoder.UTF_8.decode(bytes(0xed, 0xa0, 0x80)), "an encoded surrogate is not UTF-8");
        assertNull(NameDecoder.UTF_8.decode(bytes(0xc0, 0xaf)), "an overlong '/' is not UTF-8");
        assertNull(NameDecoder.of(Charset.forName("Shift_JIS")).decode(bytes(0x82)), "half a character");
    }

    @Test
    void namesDeclaredUtf8AreUtf8WhenTheyAreElseInTheSourceEncoding() {
        NameDecoder latin1 = NameDecoder.of(StandardCharsets.ISO_8859_1);
        byte[] utf8 = "na\u00efve".getBytes(StandardCharsets.UTF_8);
        assertEquals("na\u00efve", latin1.decodeDeclaredUtf8(utf8));
        assertEquals("na\u00c3\u00afve", latin1.decode(utf8));
        assertEquals("caf\u00e9", latin1.decodeDeclaredUtf8(bytes('c', 'a', 'f', 0xe9)));
        assertNull(NameDecoder.UTF_8.decodeDeclaredUtf8(bytes('c', 'a', 'f', 0xe9)));
    }

    @Test
    void escapeShowsTextAsTextAndEveryOtherByteAsHex() {
        assertEquals("caf\\xe9.txt", NameDecoder.escape(bytes('c', 'a', 'f', 0xe9, '.', 't', 'x', 't')));
        assertEquals("\u00fc\\xff\\xc3", NameDecoder.escape(bytes(0xc3, 0xbc, 0xff, 0xc3)));
        assertEquals("a\\x0ab\\\\c\\x7f", NameDecoder.escape(bytes('a', '\n', 'b', '\\', 'c', 0x7f)));
        assertEquals("\ud83d\ude00", NameDecoder.escape("\ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onlyEncodingsThatWriteAsciiAsAsciiCanEncodeFileNames() {
        assertTrue(NameDecoder.isAsciiCompatible(StandardCharsets.ISO_8859_1));
        assertTrue(NameDecoder.isAsciiCompatible(Charset.forName("Shift_JIS")));
        assertFalse(NameDecoder.isAsciiCompatible(StandardCharsets.UTF_16));
        assertFalse(NameDecoder.isAsciiCompatible(Charset.forName("IBM037")));
    }
}
