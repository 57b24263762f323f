package org.barecat.it;

import org.jline.utils.ScreenTerminal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code barecat browse} and {@code barecat ncdu} through bin/barecat on a real terminal: a pseudo-terminal
 * of 24 rows by 80 columns made by script(1), whose output a terminal emulator (JLine's) turns into the
 * screen a user sees. Keys are typed once the screen shows what the previous one should have brought.
 */
class TuiTest {
    @TempDir
    static Path tmp;
    static Path archive;

    @BeforeAll
    static void makeArchive() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("docs/sub"));
        Files.createDirectories(src.resolve("data"));
        Files.writeString(src.resolve("docs/readme.txt"), "hello world\nsecond line\n");
        Files.writeString(src.resolve("docs/sub/s.txt"), "s\n");
        Files.write(src.resolve("data/blob.bin"), new byte[5000]);
        Files.writeString(src.resolve("data/big.txt"), "x".repeat(3000));
        Files.writeString(src.resolve("top.txt"), "tiny\n");
        archive = Launchers.create(src, tmp.resolve("t.barecat"));
    }

    @Test
    void ncduShowsSizesCountsAndBarsAndEntersAndLeavesDirectories() throws Exception {
        try (Session s = new Session("ncdu")) {
            String root = s.await(" Total:   7.8 KiB | 5 files | q:quit  h/<-:back  l/->:enter  j/k:move");
            assertTrue(root.startsWith("--- " + archive + ": / ---"), root);
            assertTrue(root.contains("\n        Size  Files                        Name\n"), root);
            assertTrue(root.contains("\n  7.8 KiB        2 [################### ]  /data\n"
                    + "   26 B          2 [                    ]  /docs\n"
                    + "    5 B          1 [                    ]    top.txt\n"), "largest first, directories first: " + root);
            s.type("j");
            s.type("l");
            String docs = s.await(" Total:    26 B | 2 files");
            assertTrue(docs.contains("/..\n    2 B          1 [#                   ]  /sub\n"
                    + "   24 B          1 [##################  ]    readme.txt\n"), docs);
            s.type("h");
            s.await(": / ---");
            s.type("q");
            s.assertEndedCleanly();
        }
    }

    @Test
    void browseShowsParentListingAndPreviewAndMovesWithTheKeys() throws Exception {
        try (Session s = new Session("browse")) {
            String root = s.await(" / | 3 items | q:quit h/l:nav j/k:move");
            assertTrue(root.startsWith(row("", "data/", "big.txt") + row("", "docs/", "blob.bin")
                    + row("", "top.txt", "")), "the selected directory's listing as preview: " + root);
            s.type("j");
            s.await(row("", "data/", "sub/") + row("", "docs/", "readme.txt"));
            s.type("l");
            String docs = s.await(" docs | 2 items | q:quit");
            assertTrue(docs.startsWith(row("data/", "sub/", "s.txt") + row("docs/", "readme.txt", "")
                    + row("top.txt", "", "")), "parent, current, preview: " + docs);
            s.type("j");
            String file = s.await(" docs | 2 items | 24 B | q:quit");
            assertTrue(file.startsWith(row("data/", "sub/", "hello world") + row("docs/", "readme.txt", "second line")
                    + row("top.txt", "", "") + row("", "", "") + row("", "", "[EOF - 24 B]")), file);
            s.type("h");
            s.await(" / | 3 items | q:quit");
            s.type("q");
            s.assertEndedCleanly();
        }
    }

    @Test
    void bothRefuseWithoutATerminal() {
        for (String command : List.of("browse", "ncdu")) {
            Programs.Result r = Launchers.barecat(command, archive.toString());
            assertEquals(1, r.exit());
            assertEquals("barecat: " + command + " needs a terminal: stdin and stdout must be one\n", r.stderr());
            assertEquals("", r.out());
        }
    }

    /** A line of browse's three columns on 80 columns: 16 for the parent directory, 28 for the current one. */
    private static String row(String parent, String current, String preview) {
        return (String.format("%-16s│%-28s│", parent, current) + preview).stripTrailing() + "\n";
    }

    /**
     * One run of {@code barecat COMMAND ARCHIVE} on a pseudo-terminal, between two {@code stty -g} (the
     * terminal's settings before and after) and followed by its exit status.
     */
    private static final class Session implements AutoCloseable {
        private static final long PATIENCE_SECONDS = 120;
        private final Process process;
        private final OutputStream keys;
        private final ScreenTerminal screen = new ScreenTerminal(80, 24);
        private final StringBuilder raw = new StringBuilder();
        private final Thread reader;

        Session(String command) throws IOException {
            String script = "stty rows 24 cols 80; stty -g; '" + Launchers.bin("barecat") + "' " + command + " '"
                    + archive + "'; s=$?; stty -g; echo \"exit $s\"";
            ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", script, "/dev/null")
                    .redirectErrorStream(true);
            pb.environment().putAll(Map.of("LC_ALL", "C.UTF-8", "TERM", "xterm-256color"));
            process = pb.start();
            keys = process.getOutputStream();
            reader = new Thread(this::read, "pty output");
            reader.start();
        }

        private void read() {
            try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (this) {
                        String text = new String(buffer, 0, n);
                        raw.append(text);
                        screen.write(text);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        void type(String key) throws IOException {
            keys.write(key.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** The screen once it shows {@code text} (lines without trailing blanks). */
        synchronized String await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
            while (true) {
                String shown = shown();
                if (shown.contains(text)) {
                    return shown;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !reader.isAlive() && !shown.contains(text)) {
                    throw new AssertionError("the screen never showed '" + text + "':\n" + shown + "\nraw: " + raw);
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }

        private String shown() {
            return screen.toString().lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n");
        }

        /** The program ended with 0, the alternate screen left, the terminal's settings as they were before. */
        void assertEndedCleanly() throws Exception {
            assertTrue(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "still running: " + raw);
            reader.join();
            String out = raw.toString();
            assertTrue(out.contains("exit 0"), out);
            List<String> settings = Pattern.compile("[0-9a-f]+(:[0-9a-f]+){20,}").matcher(out).results()
                    .map(MatchResult::group).toList();
            assertEquals(2, settings.size(), "stty -g before and after: " + out);
            assertEquals(settings.get(0), settings.get(1), "the terminal's settings restored");
            assertTrue(out.contains("\033[?1049l"), "the alternate screen left: " + out);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
