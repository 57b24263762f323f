package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveInfo;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.Entry;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * {@code barecat ncdu}'s view, as the original's: a header naming the archive and directory, then per
 * entry its size, file count, a bar of its share of the directory and its name (directories first,
 * each run largest first, {@code /..} first below the root), and a footer with the directory's totals.
 * Sizes and counts come from the index's directory statistics.
 */
final class NcduScreen implements TuiScreen {
    static final int SIZE_WIDTH = 12;
    static final int COUNT_WIDTH = 7;
    static final int BAR_WIDTH = 20;
    static final int NAME_COLUMN = SIZE_WIDTH + COUNT_WIDTH + BAR_WIDTH + 4;
    private static final TuiEntry UP = new TuiEntry("..", true, 0, 0);

    private final Archive archive;
    private final String archiveName;
    private String cwd = "";
    private int cursor;
    private int scroll;
    private DirectoryRows rows;
    private DirStats totals;
    /** Where each directory entered was left: its path and cursor. */
    private final Deque<String> stackDirs = new ArrayDeque<>();
    private final Deque<Integer> stackCursors = new ArrayDeque<>();

    NcduScreen(Archive archive, String archiveName) throws IOException {
        this.archive = archive;
        this.archiveName = archiveName;
        load();
    }

    String cwd() {
        return cwd;
    }

    int cursor() {
        return cursor;
    }

    private void load() throws IOException {
        rows = DirectoryRows.of(archive, cwd, DirectoryRows.Order.SIZE);
        Optional<Entry> e = archive.lookup(cwd);
        totals = e.isPresent() && e.get() instanceof DirEntry d ? ArchiveInfo.treeStats(archive, d)
                : new DirStats(0, 0, 0, 0);
        cursor = Math.max(0, Math.min(cursor, count() - 1));
        scroll = 0;
    }

    private int offset() {
        return cwd.isEmpty() ? 0 : 1;
    }

    private TuiEntry entry(int i) throws IOException {
        return i < offset() ? UP : rows.get(i - offset());
    }

    /** Rows shown, {@code ..} included, once row {@code i} has been read. */
    private int countPast(int i) throws IOException {
        entry(Math.max(0, i));
        return count();
    }

    private int count() {
        return offset() + rows.size();
    }

    @Override
    public List<AttributedString> render(int height, int width) throws IOException {
        List<AttributedString> lines = new ArrayList<>();
        int w = width - 1;
        String header = "--- " + archiveName + ": " + (cwd.isEmpty() ? "/" : cwd) + " ";
        header += "-".repeat(Math.max(0, width - header.length() - 1));
        lines.add(new TextLine(w).put(0, header, w, AttributedStyle.DEFAULT).toAttributedString());
        AttributedStyle dim = AttributedStyle.DEFAULT.faint();
        lines.add(new TextLine(w).put(0, String.format("%" + SIZE_WIDTH + "s", "Size"), SIZE_WIDTH, dim)
                .put(SIZE_WIDTH, String.format("%" + COUNT_WIDTH + "s", "Files"), COUNT_WIDTH, dim)
                .put(NAME_COLUMN, "Name", w - NAME_COLUMN, dim).toAttributedString());
        int visible = height - 4; // header, column names, footer and a blank line above it
        if (cursor < scroll) {
            scroll = cursor;
        } else if (cursor >= scroll + visible) {
            scroll = cursor - visible + 1;
        }
        for (int i = 0; i < visible && 2 + i < height - 1; i++) {
            TuiEntry e = entry(scroll + i);
            if (e == null) {
                break;
            }
            lines.add(row(e, scroll + i == cursor, w));
        }
        while (lines.size() < height - 1) {
            lines.add(AttributedString.EMPTY);
        }
        String footer = " Total: " + Formats.ncduSize(totals.sizeTree()) + " | " + totals.numFilesTree() + " files"
                + " | q:quit  h/<-:back  l/->:enter  j/k:move";
        lines.add(new TextLine(w).put(0, footer, w, AttributedStyle.INVERSE).toAttributedString());
        return lines.subList(0, Math.max(0, height));
    }

    private AttributedString row(TuiEntry e, boolean selected, int w) {
        AttributedStyle plain = selected ? AttributedStyle.INVERSE : AttributedStyle.DEFAULT;
        AttributedStyle name = e.directory() ? plain.bold() : plain;
        TextLine line = new TextLine(w);
        if (e == UP) {
            return line.style(0, SIZE_WIDTH + COUNT_WIDTH + BAR_WIDTH + 2, plain).put(NAME_COLUMN, "/..", w - NAME_COLUMN, name)
                    .toAttributedString();
        }
        int fill = totals.sizeTree() > 0 ? (int) (BAR_WIDTH * (double) e.size() / totals.sizeTree()) : 0;
        fill = Math.max(0, Math.min(BAR_WIDTH, fill));
        String bar = "[" + "#".repeat(fill) + " ".repeat(BAR_WIDTH - fill) + "]";
        return line.put(0, Formats.ncduSize(e.size()), SIZE_WIDTH, plain)
                .put(SIZE_WIDTH, Formats.ncduCount(e.files()), COUNT_WIDTH, plain)
                .put(SIZE_WIDTH + COUNT_WIDTH, bar, BAR_WIDTH + 2, plain)
                .put(NAME_COLUMN, (e.directory() ? "/" : "  ") + e.name(), w - NAME_COLUMN, name)
                .toAttributedString();
    }

    @Override
    public boolean handle(TuiKey key) throws IOException {
        switch (key) {
            case QUIT -> {
                return false;
            }
            case DOWN -> cursor = Math.min(cursor + 1, Math.max(cursor, countPast(cursor + 1) - 1));
            case UP -> cursor = Math.max(0, cursor - 1);
            case ENTER -> enter();
            case BACK -> goUp();
            case TOP -> cursor = 0;
            case BOTTOM -> {
                rows.readAll();
                cursor = Math.max(0, count() - 1);
            }
            case PAGE_UP -> cursor = Math.max(0, cursor - 10);
            case PAGE_DOWN -> cursor = Math.max(0, Math.min(countPast(cursor + 10) - 1, cursor + 10));
            default -> {
                // other keys do nothing
            }
        }
        return true;
    }

    private void enter() throws IOException {
        TuiEntry e = entry(cursor);
        if (e == UP) {
            goUp();
        } else if (e != null && e.directory()) {
            stackDirs.push(cwd);
            stackCursors.push(cursor);
            cwd = cwd.isEmpty() ? e.name() : cwd + "/" + e.name();
            cursor = 0;
            load();
        }
    }

    private void goUp() throws IOException {
        if (!stackDirs.isEmpty()) {
            cwd = stackDirs.pop();
            cursor = stackCursors.pop();
            load();
        } else if (!cwd.isEmpty()) {
            int slash = cwd.lastIndexOf('/');
            String left = cwd.substring(slash + 1);
            cwd = slash < 0 ? "" : cwd.substring(0, slash);
            load();
            int i = rows.indexOf(left);
            if (i >= 0) {
                cursor = i + offset();
            }
        }
    }

    @Override
    public void mouse(MouseAction action, int x, int y) throws IOException {
        switch (action) {
            case CLICK -> {
                int i = y - 2 + scroll;
                if (i >= 0 && i < countPast(i)) {
                    cursor = i;
                }
            }
            case WHEEL_UP -> cursor = Math.max(0, cursor - 3);
            case WHEEL_DOWN -> cursor = Math.max(0, Math.min(countPast(cursor + 3) - 1, cursor + 3));
        }
    }
}
