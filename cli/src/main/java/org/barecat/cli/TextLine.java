package org.barecat.cli;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.util.Arrays;

/**
 * One screen line being drawn, as curses' {@code addnstr} draws: text put at a column, cut to a
 * width, each character with its style. Control characters show as {@code ?}.
 */
final class TextLine {
    private final char[] chars;
    private final AttributedStyle[] styles;
    private int end;

    TextLine(int width) {
        chars = new char[Math.max(0, width)];
        styles = new AttributedStyle[chars.length];
        Arrays.fill(chars, ' ');
        Arrays.fill(styles, AttributedStyle.DEFAULT);
    }

    /** Puts at most {@code max} characters of {@code text} from column {@code x}, within the line. */
    TextLine put(int x, String text, int max, AttributedStyle style) {
        int n = Math.min(Math.min(text.length(), Math.max(0, max)), chars.length - x);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            chars[x + i] = Character.isISOControl(c) ? '?' : c;
            styles[x + i] = style;
        }
        end = Math.max(end, x + Math.max(0, n));
        return this;
    }

    /** Gives columns {@code from} to {@code to} (exclusive) {@code style}, text or not. */
    TextLine style(int from, int to, AttributedStyle style) {
        int stop = Math.min(to, chars.length);
        for (int i = Math.max(0, from); i < stop; i++) {
            styles[i] = style;
        }
        end = Math.max(end, stop);
        return this;
    }

    /** The line up to the last column drawn on. */
    AttributedString toAttributedString() {
        AttributedStringBuilder b = new AttributedStringBuilder(end);
        for (int i = 0; i < end; i++) {
            b.style(styles[i]).append(chars[i]);
        }
        return b.toAttributedString();
    }
}
