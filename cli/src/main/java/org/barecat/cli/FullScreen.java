package org.barecat.cli;

import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.MouseEvent;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.MouseSupport;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;

import java.io.IOException;

/**
 * The terminal's side of {@code browse} and {@code ncdu}: the alternate screen in raw mode without a
 * cursor, keys (and mouse clicks and wheel) read and passed to a {@link TuiScreen}, which is drawn
 * again after each and when the window changes size. The terminal is given back as it was found,
 * whatever ends the view.
 */
final class FullScreen {
    private final Terminal terminal;
    private final TuiScreen screen;
    private final Display display;

    private FullScreen(Terminal terminal, TuiScreen screen) {
        this.terminal = terminal;
        this.screen = screen;
        this.display = new Display(terminal, true);
    }

    /** Whether stdin and stdout are both a terminal, which the views need. */
    static boolean haveTerminal() {
        try {
            TerminalProvider jni = TerminalProvider.load("jni");
            return jni.isSystemStream(SystemStream.Input) && jni.isSystemStream(SystemStream.Output);
        } catch (IOException | LinkageError e) {
            return System.console() != null; // no native library: Java's own test, both streams a terminal
        }
    }

    /** Shows {@code screen} until it ends (q); the terminal is restored after. */
    static void run(TuiScreen screen) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Attributes saved = terminal.enterRawMode();
            Attributes raw = terminal.getAttributes();
            // Ctrl-C and Ctrl-Z come as keys, not signals that would leave the terminal raw
            raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
            terminal.setAttributes(raw);
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.keypad_xmit);
            terminal.puts(Capability.cursor_invisible);
            terminal.trackMouse(Terminal.MouseTracking.Normal);
            terminal.flush();
            try {
                new FullScreen(terminal, screen).loop();
            } finally {
                terminal.trackMouse(Terminal.MouseTracking.Off);
                terminal.puts(Capability.cursor_visible);
                terminal.puts(Capability.keypad_local);
                terminal.puts(Capability.exit_ca_mode);
                terminal.flush();
                terminal.setAttributes(saved);
            }
        }
    }

    private void loop() throws IOException {
        KeyMap<TuiKey> keys = keyMap(terminal);
        BindingReader reader = new BindingReader(terminal.reader());
        terminal.handle(Terminal.Signal.WINCH, signal -> {
            try {
                draw(true);
            } catch (IOException e) {
                // the next key draws again
            }
        });
        draw(false);
        while (true) {
            TuiKey key = reader.readBinding(keys, null, true);
            if (key == null) {
                return; // end of input: the terminal went away
            }
            synchronized (this) {
                if (key == TuiKey.MOUSE) {
                    mouse(terminal.readMouseEvent(reader::readCharacter, reader.getLastBinding()));
                } else if (!screen.handle(key)) {
                    return;
                }
            }
            draw(false);
        }
    }

    private void mouse(MouseEvent e) throws IOException {
        if (e.getType() == MouseEvent.Type.Wheel) {
            screen.mouse(e.getButton() == MouseEvent.Button.WheelUp ? TuiScreen.MouseAction.WHEEL_UP
                    : TuiScreen.MouseAction.WHEEL_DOWN, e.getX(), e.getY());
        } else if (e.getType() == MouseEvent.Type.Pressed && e.getButton() == MouseEvent.Button.Button1) {
            screen.mouse(TuiScreen.MouseAction.CLICK, e.getX(), e.getY());
        }
    }

    private synchronized void draw(boolean resized) throws IOException {
        Size size = terminal.getSize();
        int rows = size.getRows() > 0 ? size.getRows() : 24;
        int columns = size.getColumns() > 0 ? size.getColumns() : 80;
        if (resized) {
            display.clear();
        }
        display.resize(rows, columns);
        display.update(screen.render(rows, columns), 0);
        terminal.flush();
    }

    /** The keys of both views: the original's letters, arrows, Home/End, PgUp/PgDn (both encodings), Tab. */
    static KeyMap<TuiKey> keyMap(Terminal terminal) {
        KeyMap<TuiKey> keys = new KeyMap<>();
        keys.setNomatch(TuiKey.OTHER);
        keys.setUnicode(TuiKey.OTHER);
        keys.setAmbiguousTimeout(100);
        keys.bind(TuiKey.QUIT, "q", KeyMap.ctrl('C'));
        keys.bind(TuiKey.DOWN, "j", "\033[B", "\033OB");
        keys.bind(TuiKey.UP, "k", "\033[A", "\033OA");
        keys.bind(TuiKey.ENTER, "l", "\r", "\n", "\033[C", "\033OC", "\033OM");
        keys.bind(TuiKey.BACK, "h", "\033[D", "\033OD");
        keys.bind(TuiKey.TOP, "g", "\033[H", "\033OH", "\033[1~");
        keys.bind(TuiKey.BOTTOM, "G", "\033[F", "\033OF", "\033[4~");
        keys.bind(TuiKey.PAGE_UP, "\033[5~");
        keys.bind(TuiKey.PAGE_DOWN, "\033[6~");
        keys.bind(TuiKey.TAB, "\t");
        // the classic and the SGR (1006) encodings of mouse reports, which JLine asks the terminal for
        keys.bind(TuiKey.MOUSE, terminal == null ? new String[] {"\033[M", "\033[<"} : MouseSupport.keys(terminal));
        if (terminal != null) {
            for (Capability c : new Capability[] {Capability.key_down, Capability.key_up, Capability.key_left,
                    Capability.key_right, Capability.key_home, Capability.key_end, Capability.key_ppage,
                    Capability.key_npage}) {
                String seq = KeyMap.key(terminal, c);
                if (seq != null && !seq.isEmpty()) {
                    keys.bindIfNotBound(switch (c) {
                        case key_down -> TuiKey.DOWN;
                        case key_up -> TuiKey.UP;
                        case key_left -> TuiKey.BACK;
                        case key_right -> TuiKey.ENTER;
                        case key_home -> TuiKey.TOP;
                        case key_end -> TuiKey.BOTTOM;
                        case key_ppage -> TuiKey.PAGE_UP;
                        default -> TuiKey.PAGE_DOWN;
                    }, seq);
                }
            }
        }
        return keys;
    }
}
