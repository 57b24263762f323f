package org.barecat.cli;

import org.jline.utils.AttributedString;

import java.io.IOException;
import java.util.List;

/**
 * What a full-screen view shows and how it answers keys, apart from the terminal ({@link FullScreen}
 * does the terminal's part), so that it can be tested without one.
 */
interface TuiScreen {
    /** The lines to show on a terminal of {@code rows} by {@code columns}, each shorter than {@code columns}. */
    List<AttributedString> render(int rows, int columns) throws IOException;

    /** Acts on {@code key}; false when the view is to end. */
    boolean handle(TuiKey key) throws IOException;

    /** A mouse button or wheel at column {@code x}, row {@code y} (0-based). */
    void mouse(MouseAction action, int x, int y) throws IOException;

    /** What the mouse did. */
    enum MouseAction { CLICK, WHEEL_UP, WHEEL_DOWN }
}
