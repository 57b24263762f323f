package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code barecat browse}'s view, as the original's (ranger-like): the parent directory, the current
 * one (directories first, then files, each by name) and a preview of the selected entry (a
 * directory's listing, or a file as UTF-8 read 4 KiB at a time as far as it is shown), over a status
 * line. Tab or l on a file moves the focus to the preview, whose lines j/k then scroll.
 */
final class BrowseScreen implements TuiScreen {
    static final int PREVIEW_CHUNK = 4096;

    private final Archive archive;
    private String cwd = "";
    private int cursor;
    private int scroll;
    private boolean previewFocused;
    private int previewOffset;
    private DirectoryRows rows;
    private DirectoryRows parentRows;
    /** The previewed entry's path, and what was read of it. */
    private String previewPath;
    private DirectoryRows previewDir;
    private FileEntry previewFile;
    private final ByteArrayOutputStream previewBytes = new ByteArrayOutputStream();
    private String previewError;
    /** The layout last drawn, for the mouse. */
    private int parentWidth = 15;
    private int listWidth = 20;
    private int height = 24;

    BrowseScreen(Archive archive) throws IOException {
        this.archive = archive;
        load();
    }

    String cwd() {
        return cwd;
    }

    int cursor() {
        return cursor;
    }

    boolean previewFocused() {
        return previewFocused;
    }

    int previewOffset() {
        return previewOffset;
    }

    private void load() throws IOException {
        rows = DirectoryRows.of(archive, cwd, DirectoryRows.Order.NAME);
        parentRows = null;
        rows.get(cursor);
        cursor = Math.max(0, Math.min(cursor, rows.size() - 1));
        scroll = 0;
        previewOffset = 0;
    }

    private String selectedPath() throws IOException {
        TuiEntry e = rows.get(cursor);
        return e == null ? null : child(cwd, e.name());
    }

    private static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public List<AttributedString> render(int rowsOnScreen, int width) throws IOException {
        height = rowsOnScreen;
        parentWidth = Math.max(15, width / 5);
        listWidth = Math.max(20, width * 35 / 100);
        int previewWidth = width - parentWidth - listWidth - 2;
        int visible = rowsOnScreen - 1;
        if (cursor < scroll) {
            scroll = cursor;
        } else if (cursor >= scroll + visible) {
            scroll = cursor - visible + 1;
        }
        List<TextLine> lines = new ArrayList<>();
        for (int y = 0; y < visible; y++) {
            lines.add(new TextLine(width - 1).put(parentWidth, "│", 1, AttributedStyle.DEFAULT)
                    .put(parentWidth + listWidth + 1, "│", 1, AttributedStyle.DEFAULT));
        }
        if (!cwd.isEmpty()) {
            if (parentRows == null) {
                parentRows = DirectoryRows.of(archive, parentOf(cwd), DirectoryRows.Order.NAME);
            }
            String current = nameOf(cwd);
            for (int i = 0; i < visible; i++) {
                TuiEntry e = parentRows.get(i);
                if (e == null) {
                    break;
                }
                AttributedStyle style = e.directory() ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
                style = e.name().equals(current) ? style.inverse() : style;
                lines.get(i).put(0, shown(e, parentWidth), parentWidth - 1, style);
            }
        }
        for (int i = 0; i < visible; i++) {
            TuiEntry e = rows.get(scroll + i);
            if (e == null) {
                break;
            }
            AttributedStyle style = e.directory() ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
            style = scroll + i == cursor ? style.inverse() : style;
            lines.get(i).put(parentWidth + 1, shown(e, listWidth), listWidth - 1, style);
        }
        List<String> preview = preview(previewOffset + visible + 10);
        AttributedStyle previewStyle = previewFocused ? AttributedStyle.DEFAULT : AttributedStyle.DEFAULT.faint();
        for (int i = 0; i < visible && previewOffset + i < preview.size(); i++) {
            String line = preview.get(previewOffset + i).replace("\t", "    ");
            lines.get(i).put(parentWidth + listWidth + 2, line, previewWidth - 1, previewStyle);
        }
        StringBuilder status = new StringBuilder(" ").append(cwd.isEmpty() ? "/" : cwd).append(" | ")
                .append(rows.size()).append(" items");
        TuiEntry selected = rows.get(cursor);
        if (selected != null && !selected.directory() && archive.lookup(child(cwd, selected.name())).orElse(null)
                instanceof FileEntry f) {
            status.append(" | ").append(Formats.browseSize(f.size()));
        }
        status.append(" | q:quit h/l:nav j/k:move");
        List<AttributedString> out = new ArrayList<>();
        for (TextLine line : lines) {
            out.add(line.toAttributedString());
        }
        out.add(new TextLine(width - 1).put(0, status.toString(), width - 1, AttributedStyle.INVERSE).toAttributedString());
        return out.subList(Math.max(0, out.size() - rowsOnScreen), out.size());
    }

    /** A name cut to a column's width, a directory's with a slash. */
    private static String shown(TuiEntry e, int columnWidth) {
        String name = e.name().substring(0, Math.min(e.name().length(), Math.max(0, columnWidth - 1)));
        return e.directory() ? name + "/" : name;
    }

    /** The preview's first {@code wanted} lines or more (fewer at the end of what there is). */
    List<String> preview(int wanted) throws IOException {
        String path = selectedPath();
        if (path == null) {
            return List.of();
        }
        if (!path.equals(previewPath)) {
            previewPath = path;
            previewDir = null;
            previewFile = null;
            previewBytes.reset();
            previewError = null;
            Optional<Entry> e = archive.lookup(path);
            if (e.isPresent() && e.get() instanceof FileEntry f) {
                previewFile = f;
            } else {
                previewDir = DirectoryRows.of(archive, path, DirectoryRows.Order.NAME);
            }
        }
        if (previewDir != null) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < wanted; i++) {
                TuiEntry e = previewDir.get(i);
                if (e == null) {
                    break;
                }
                lines.add(e.directory() ? e.name() + "/" : e.name());
            }
            return lines.isEmpty() ? List.of("[Empty directory]") : lines;
        }
        return filePreview(wanted);
    }

    /** The file's text as far as read, read on 4 KiB at a time until there are {@code wanted} lines. */
    private List<String> filePreview(int wanted) {
        if (previewError != null) {
            return List.of(previewError);
        }
        long size = previewFile.size();
        List<String> lines = split();
        try {
            while (lines.size() < wanted && previewBytes.size() < size) {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(PREVIEW_CHUNK, size - previewBytes.size()));
                int n = archive.read(previewFile, previewBytes.size(), chunk);
                if (n <= 0) {
                    break;
                }
                previewBytes.write(chunk.array(), 0, n);
                lines = split();
            }
        } catch (IOException e) {
            previewError = "[Cannot read file: " + e.getMessage() + "]";
            return List.of(previewError);
        }
        if (previewBytes.size() >= size && !lines.isEmpty()) {
            lines.add("");
            lines.add("[EOF - " + Formats.browseSize(size) + "]");
        }
        return lines;
    }

    private List<String> split() {
        if (previewBytes.size() == 0) {
            return new ArrayList<>();
        }
        String text = previewBytes.toString(StandardCharsets.UTF_8); // malformed bytes become U+FFFD
        return new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    }

    @Override
    public boolean handle(TuiKey key) throws IOException {
        switch (key) {
            case QUIT -> {
                return false;
            }
            case DOWN -> {
                if (previewFocused) {
                    previewOffset++;
                } else {
                    rows.get(cursor + 1);
                    select(Math.min(cursor + 1, Math.max(cursor, rows.size() - 1)));
                }
            }
            case UP -> {
                if (previewFocused) {
                    previewOffset = Math.max(0, previewOffset - 1);
                } else {
                    select(Math.max(0, cursor - 1));
                }
            }
            case ENTER -> {
                TuiEntry e = rows.get(cursor);
                if (!previewFocused && e != null) {
                    if (e.directory()) {
                        cwd = child(cwd, e.name());
                        cursor = 0;
                        load();
                    } else {
                        previewFocused = true;
                    }
                }
            }
            case BACK -> {
                if (previewFocused) {
                    previewFocused = false;
                } else if (!cwd.isEmpty()) {
                    String left = nameOf(cwd);
                    cwd = parentOf(cwd);
                    load();
                    cursor = Math.max(0, rows.indexOf(left));
                }
            }
            case TOP -> {
                if (previewFocused) {
                    previewOffset = 0;
                } else {
                    select(0);
                }
            }
            case BOTTOM -> {
                if (!previewFocused) {
                    rows.readAll();
                    select(Math.max(0, rows.size() - 1));
                }
            }
            case PAGE_UP -> {
                if (previewFocused) {
                    previewOffset = Math.max(0, previewOffset - 10);
                } else {
                    select(Math.max(0, cursor - 10));
                }
            }
            case PAGE_DOWN -> {
                if (previewFocused) {
                    previewOffset += 10;
                } else {
                    rows.get(cursor + 10);
                    select(Math.max(0, Math.min(rows.size() - 1, cursor + 10)));
                }
            }
            case TAB -> previewFocused = !previewFocused;
            default -> {
                // other keys do nothing
            }
        }
        return true;
    }

    /** Moves the cursor; the preview starts at its top again. */
    private void select(int row) {
        if (row != cursor) {
            cursor = row;
            previewOffset = 0;
        }
    }

    @Override
    public void mouse(MouseAction action, int x, int y) throws IOException {
        if (action == MouseAction.CLICK) {
            if (y >= height - 1) {
                return;
            }
            if (x < parentWidth) {
                previewFocused = false;
                handle(TuiKey.BACK);
            } else if (x > parentWidth && x <= parentWidth + listWidth) {
                int i = y + scroll;
                if (rows.get(i) != null) {
                    select(i);
                }
                previewFocused = false;
            } else if (x > parentWidth + listWidth + 1) {
                previewFocused = true;
            }
        } else {
            for (int i = 0; i < 3; i++) { // the wheel moves 3 rows, as the original's
                handle(action == MouseAction.WHEEL_UP ? TuiKey.UP : TuiKey.DOWN);
            }
        }
    }
}
