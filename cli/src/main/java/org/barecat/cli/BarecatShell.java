package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveInfo;
import org.barecat.core.ArchiveStats;
import org.barecat.core.Attributes;
import org.barecat.core.DirEntry;
import org.barecat.core.DirStats;
import org.barecat.core.DirectoryListing;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import org.barecat.core.Glob;
import org.barecat.tools.convert.IndexExport;
import org.barecat.tools.write.ArchiveAppender;
import org.barecat.tools.write.ArchiveEditor;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The interpreter behind {@code barecat shell}: the original's commands and messages (most on stdout),
 * a working directory in the archive and one on the local side. ls, tree, find and du are the
 * commands of the same name run on the open archive; rm, mv, put and mput go through
 * {@link ArchiveEditor} and {@link ArchiveAppender}, one transaction each, as barecat rm, mv and add do.
 */
final class BarecatShell implements AutoCloseable {
    static final String INTRO = "Barecat shell. Type help or ? for commands, .quit to exit.";
    /** At most this many completions are offered for one word, as in the original. */
    static final int MAX_COMPLETIONS = 200;

    private interface Action {
        /** Runs the command with the rest of its line; false to leave the shell. */
        boolean run(String arg) throws IOException;
    }

    private record Builtin(String help, Action action) {
    }

    private final String name;
    private final RemoteArchiveOptions remote;
    private final boolean writable;
    private final PrintWriter out = Output.stdout();
    private final Map<String, Builtin> commands = new TreeMap<>(LsCommand::compareCodePoints);
    private Archive archive;
    private String cwd = "";
    private Path localCwd = Path.of("").toAbsolutePath();

    BarecatShell(String name, RemoteArchiveOptions remote, boolean writable) throws IOException {
        this.name = name;
        this.remote = remote;
        this.writable = writable;
        this.archive = remote.open(name);
        define("cd", "Change directory: cd [path]", this::cd);
        define("pwd", "Print working directory", arg -> say("/" + cwd));
        define("ls", "List directory contents: ls [-l] [-R] [path_or_glob]", this::ls);
        define("lss", "List with sequence summarization: lss [path]", this::lss);
        define("tree", "Show directory tree: tree [-L N] [-d] [path]", this::tree);
        define("cat", "Print file contents: cat <path>", arg -> show("cat", arg, Long.MAX_VALUE));
        define("head", "Print first N bytes: head [-n N] <path>", this::head);
        define("stat", "Show file/directory metadata: stat <path>", this::stat);
        define("find", "Find files like /usr/bin/find: find [path] [-name PAT] [-path PAT] [-type f|d]"
                + " [-size [+-]N] [-maxdepth N]", this::find);
        define("du", "Show disk usage: du [-a] [-s] [-H] [-d N] [path]", this::du);
        define("lcd", "Change local directory: lcd [path]", this::lcd);
        define("lpwd", "Print local working directory", arg -> say(localCwd.toString()));
        define("lls", "List local directory: lls [path]", this::lls);
        define("get", "Extract file: get <archive_path> [local_dest]", this::get);
        define("mget", "Extract files matching pattern: mget <pattern> [local_dest]", this::mget);
        define("put", "Add file to archive: put <local_path> [archive_path]", this::put);
        define("mput", "Add files matching glob: mput <pattern> [archive_dir]", this::mput);
        define("rm", "Remove file from archive: rm <path>", this::rm);
        define("mv", "Rename/move file in archive: mv <old> <new>", this::mv);
        define("info", "Show archive info", this::info);
        define("sql", "Execute SQL query: sql <query>", this::sql);
        define("quit", "Exit the shell", arg -> false);
        define("exit", "Exit the shell", arg -> false);
        define("EOF", "Exit on Ctrl-D", arg -> !say(""));
        define("help", "List available commands with \"help\" or detailed help with \"help cmd\".", this::help);
    }

    private void define(String command, String help, Action action) {
        commands.put(command, new Builtin(help, action));
    }

    /** The prompt: {@code barecat:/<cwd>> }. */
    String prompt() {
        return "barecat:/" + cwd + "> ";
    }

    /** The command names, for completion. */
    List<String> commandNames() {
        return List.copyOf(commands.keySet());
    }

    /**
     * Reads and runs command lines until quit, exit or the end of input: with line editing and Tab
     * completion on a terminal, else line by line from stdin with the prompt written before each, as
     * the original does.
     */
    void run() throws IOException {
        say(INTRO);
        out.flush();
        if (System.console() != null) {
            // Ctrl-C while a command runs must not end the shell (the original catches it); at the prompt
            // the line reader reads it as a key and throws UserInterruptException
            try (Terminal terminal = TerminalBuilder.builder().system(true)
                    .signalHandler(Terminal.SignalHandler.SIG_IGN).build()) {
                LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("barecat")
                        .completer(new ShellCompleter(this)).build();
                reader.setOpt(LineReader.Option.AUTO_LIST); // readline's show-all-if-ambiguous, as the original sets
                while (true) {
                    String line;
                    try {
                        line = reader.readLine(prompt());
                    } catch (UserInterruptException e) {
                        say("^C");
                        out.flush();
                        continue;
                    } catch (EndOfFileException e) {
                        execute("EOF");
                        return;
                    }
                    if (!execute(line)) {
                        return;
                    }
                }
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            out.print(prompt());
            out.flush();
            String line = in.readLine();
            if (!execute(line == null ? "EOF" : line)) {
                return;
            }
        }
    }

    /** Runs one command line as the original's {@code onecmd} does; false when it asks to leave. */
    boolean execute(String commandLine) {
        String line = commandLine.strip();
        String command = "";
        try {
            if (line.isEmpty()) {
                return true;
            }
            if (line.startsWith("?")) {
                line = "help " + line.substring(1);
            }
            if (line.startsWith("!")) {
                return escape(line.substring(1).strip());
            }
            String lookup = line.startsWith(".") ? line.substring(1) : line;
            int i = 0;
            while (i < lookup.length() && (Character.isLetterOrDigit(lookup.charAt(i)) || lookup.charAt(i) == '_')) {
                i++;
            }
            command = lookup.substring(0, i);
            Builtin builtin = command.isEmpty() ? null : commands.get(command);
            if (builtin == null) {
                return say("Unknown command: " + line);
            }
            return builtin.action().run(lookup.substring(i).strip());
        } catch (IOException e) {
            return say(command + ": " + Errors.describe(e));
        } catch (UncheckedIOException e) {
            return say(command + ": " + Errors.describe(e.getCause()));
        } catch (IllegalArgumentException e) {
            return say(command + ": " + e.getMessage());
        } finally {
            out.flush();
        }
    }

    private boolean say(String line) {
        out.println(line);
        return true;
    }

    // --- paths ---

    /**
     * An archive path against the working directory, as the original's {@code _resolve_path}: a
     * leading {@code /} starts at the root, {@code .} and {@code ..} are folded, the root is "".
     */
    String resolve(String path) {
        if (path.isEmpty()) {
            return cwd;
        }
        List<String> parts = new ArrayList<>();
        if (!path.startsWith("/") && !cwd.isEmpty()) {
            parts.addAll(List.of(cwd.split("/")));
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** {@link #resolve} as the ls, tree, find and du commands take it: the root as {@code .}. */
    private String operand(String path) {
        return Formats.displayPath(resolve(path));
    }

    private Path local(String path) {
        return localCwd.resolve(path).normalize();
    }

    private Optional<Entry> lookup(String archivePath) throws IOException {
        return archive.lookup(archivePath);
    }

    /**
     * The words of a command line as {@code shlex.split} makes them, or split at blanks when its quotes
     * do not pair up.
     */
    static List<String> words(String arg) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < arg.length() && "\\\"$`\n".indexOf(arg.charAt(i + 1)) >= 0) {
                    word.append(arg.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    if (++i == arg.length()) {
                        return List.of(arg.strip().split("\\s+"));
                    }
                    word.append(arg.charAt(i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            return List.of(arg.strip().split("\\s+"));
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * The one path of cd, cat, stat, lss, rm, lcd and lls: the original takes the rest of the line as
     * it is ({@code cd odd names}); a path quoted or escaped as a whole, as Tab completion writes it, is
     * unquoted.
     */
    private static String onePath(String arg) {
        List<String> w = words(arg);
        return w.size() == 1 ? w.get(0) : arg;
    }

    // --- navigation and listings ---

    private boolean cd(String arg) throws IOException {
        String path = resolve(arg.isEmpty() ? "/" : onePath(arg));
        if (path.isEmpty() || lookup(path).orElse(null) instanceof DirEntry) {
            cwd = path;
            return true;
        }
        return say("cd: not a directory: " + path);
    }

    /**
     * Parses {@code args} as the subcommand {@code command} of barecat (after the archive's name);
     * null after printing why they do not parse.
     */
    private <T> T parse(T command, String commandName, List<String> args) {
        CommandLine cl = new CommandLine(command);
        List<String> all = new ArrayList<>();
        all.add(name);
        all.addAll(args);
        try {
            if (cl.parseArgs(all.toArray(String[]::new)).isUsageHelpRequested()) {
                cl.usage(out);
                return null;
            }
            return command;
        } catch (UnmatchedArgumentException e) {
            say(commandName + ": unknown option: " + e.getUnmatched().get(0));
            return null;
        } catch (ParameterException e) {
            say(commandName + ": " + e.getMessage());
            return null;
        }
    }

    private boolean ls(String arg) throws IOException {
        LsCommand ls = parse(new LsCommand(), "ls", words(arg));
        if (ls != null) {
            ls.paths = ls.paths.isEmpty() ? List.of(operand("")) : ls.paths.stream().map(this::operand).toList();
            ls.print(archive, out);
        }
        return true;
    }

    private boolean tree(String arg) throws IOException {
        List<String> args = words(arg).stream().map(w -> w.equals("--depth") ? "-L" : w).toList();
        TreeCommand tree = parse(new TreeCommand(), "tree", args);
        if (tree != null && tree.badOptions() == null) {
            tree.start = operand(tree.start);
            tree.print(archive, out);
        }
        return true;
    }

    private boolean find(String arg) throws IOException {
        FindCommand find = parse(new FindCommand(), "find", words(arg));
        if (find != null && find.badOptions() == null) {
            find.start = operand(find.start);
            find.print(archive, out);
        }
        return true;
    }

    private boolean du(String arg) throws IOException {
        // the original's -H is du's -h; without -a or -d it prints one total, as -s does
        List<String> args = words(arg).stream().map(w -> w.equals("-H") ? "-h" : w).toList();
        DuCommand du = parse(new DuCommand(), "du", args);
        if (du != null) {
            du.summarize |= !du.all && du.maxDepth == null;
            du.paths = du.paths.isEmpty() ? List.of(operand("")) : du.paths.stream().map(this::operand).toList();
            if (du.badOptions() == null) {
                du.print(archive, out);
            }
        }
        return true;
    }

    private boolean lss(String arg) throws IOException {
        String path = resolve(onePath(arg));
        if (!(lookup(path).orElse(null) instanceof DirEntry)) {
            return say("lss: not a directory: " + path);
        }
        List<String> dirs = new ArrayList<>();
        List<String> files = new ArrayList<>();
        DirectoryListing<Entry> listing = archive.list(path);
        for (Entry e = listing.take(); e != null; e = listing.take()) {
            (e instanceof DirEntry ? dirs : files).add(e.name());
        }
        dirs.sort(LsCommand::compareCodePoints);
        files.sort(LsCommand::compareCodePoints);
        dirs.forEach(d -> out.println(d + "/"));
        NumberedNames.summarize(files, out);
        return true;
    }

    private boolean stat(String arg) throws IOException {
        String path = resolve(onePath(arg));
        if (path.isEmpty()) {
            return say("stat: missing path");
        }
        Entry e = lookup(path).orElse(null);
        if (e instanceof FileEntry f) {
            say("  File: " + f.path());
            say("  Size: " + f.size());
            say(" Shard: " + f.location().shard());
            say("Offset: " + f.location().offset());
            return say(f.crc32c() != null && f.crc32c() != 0 ? String.format("CRC32C: 0x%08x", f.crc32c())
                    : "CRC32C: (none)");
        }
        if (e instanceof DirEntry d) {
            DirStats s = ArchiveInfo.treeStats(archive, d);
            say("   Dir: /" + d.path());
            say(" Files: " + s.numFiles() + " (direct)");
            return say(" Total: " + s.numFilesTree() + " files, " + s.sizeTree() + " bytes");
        }
        return say("stat: " + path + ": No such file or directory");
    }

    private boolean info(String arg) throws IOException {
        ArchiveStats s = archive.stats();
        say("Archive: " + name);
        say("  Files: " + s.fileCount());
        say("   Dirs: " + s.dirCount());
        say("  Total: " + ArchiveInfo.treeStats(archive, (DirEntry) lookup("").orElseThrow()).sizeTree() + " bytes");
        return say(" Shards: " + s.shardCount());
    }

    private boolean sql(String arg) throws IOException {
        if (arg.isEmpty()) {
            return say("sql: give a query (there is no interactive SQL console here)");
        }
        out.flush();
        try {
            IndexExport.sql(ArchiveArgument.localPath(name), arg, System.out);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("sql error: " + (e instanceof IOException io ? Errors.describe(io) : e.getMessage()));
        }
        System.out.flush();
        return true;
    }

    // --- file contents ---

    private boolean head(String arg) throws IOException {
        List<String> args = words(arg);
        long n = 1024;
        String path = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-n") && i + 1 < args.size()) {
                try {
                    n = Long.parseLong(args.get(++i));
                } catch (NumberFormatException e) {
                    return say("head: invalid number of bytes: " + args.get(i));
                }
            } else {
                path = args.get(i);
            }
        }
        return path == null ? say("head: missing path") : show("head", path, n);
    }

    /** cat and head: the first {@code limit} bytes of a file, then a newline unless they end with one. */
    private boolean show(String command, String arg, long limit) throws IOException {
        String path = resolve(onePath(arg));
        if (path.isEmpty()) {
            return say(command + ": missing path");
        }
        if (!(lookup(path).orElse(null) instanceof FileEntry f)) {
            return say(command + ": " + path + ": No such file");
        }
        out.flush();
        int last = copy(f, Math.max(0, limit), System.out);
        System.out.flush();
        if (last != '\n') {
            out.println();
        }
        return true;
    }

    /** Writes the file's first {@code limit} bytes to {@code to}; returns the last byte written, -1 for none. */
    private int copy(FileEntry f, long limit, OutputStream to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, Math.min(limit, f.size()))));
        long end = Math.min(limit, f.size());
        int last = -1;
        for (long pos = 0; pos < end; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - pos));
            int n = archive.read(f, pos, buffer);
            to.write(buffer.array(), 0, n);
            last = buffer.array()[n - 1] & 0xff;
            pos += n;
        }
        return last;
    }

    private void extract(FileEntry f, Path to) throws IOException {
        Files.createDirectories(to.toAbsolutePath().getParent());
        try (OutputStream o = Files.newOutputStream(to)) {
            copy(f, Long.MAX_VALUE, o);
        }
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private boolean get(String arg) throws IOException {
        List<String> args = words(arg);
        if (args.isEmpty()) {
            return say("get: missing archive path");
        }
        String path = resolve(args.get(0));
        Path dest = local(args.size() > 1 ? args.get(1) : baseName(path));
        Entry e = lookup(path).orElse(null);
        if (e instanceof FileEntry f) {
            if (args.size() > 1 && args.get(1).endsWith("/")) {
                Files.createDirectories(dest); // a destination written as a directory is one
            }
            if (Files.isDirectory(dest)) {
                dest = dest.resolve(baseName(path));
            }
            extract(f, dest);
            return say("Extracted: " + path + " -> " + dest);
        }
        if (!(e instanceof DirEntry d)) {
            return say("get: " + path + ": No such file or directory");
        }
        long count = extractTree(d, d.path(), dest);
        return say("Extracted " + count + " files to " + dest);
    }

    private long extractTree(DirEntry dir, String top, Path dest) throws IOException {
        long count = 0;
        List<DirEntry> subdirs = new ArrayList<>();
        DirectoryListing<Entry> listing = archive.list(dir.path());
        for (Entry e = listing.take(); e != null; e = listing.take()) {
            if (e instanceof FileEntry f) {
                extract(f, dest.resolve(top.isEmpty() ? f.path() : f.path().substring(top.length() + 1)));
                count++;
            } else {
                subdirs.add((DirEntry) e);
            }
        }
        for (DirEntry d : subdirs) {
            count += extractTree(d, top, dest);
        }
        return count;
    }

    private boolean mget(String arg) throws IOException {
        List<String> args = words(arg);
        if (args.isEmpty()) {
            return say("mget: missing pattern");
        }
        String pattern = args.get(0).startsWith("/") ? args.get(0).substring(1)
                : cwd.isEmpty() ? args.get(0) : cwd + "/" + args.get(0);
        Path dest = args.size() > 1 ? local(args.get(1)) : localCwd;
        long count = 0;
        for (Entry e : LsCommand.globMatches(archive, pattern).files()) {
            Path to = dest.resolve(baseName(e.path())); // flattened, as the original does
            extract((FileEntry) e, to);
            count++;
            say("  " + e.path() + " -> " + to);
        }
        return say("Extracted " + count + " files");
    }

    // --- the local side ---

    private boolean escape(String command) throws IOException {
        if (command.isEmpty()) {
            return say("!: missing command");
        }
        out.flush();
        try {
            new ProcessBuilder("/bin/sh", "-c", command).directory(localCwd.toFile()).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private boolean lcd(String arg) {
        Path path = arg.isEmpty() ? Path.of(System.getProperty("user.home")) : local(onePath(arg));
        if (!Files.isDirectory(path)) {
            return say("lcd: not a directory: " + path);
        }
        localCwd = path;
        return say("Local directory: " + localCwd);
    }

    private boolean lls(String arg) throws IOException {
        Path dir = arg.isEmpty() ? localCwd : local(onePath(arg));
        try (Stream<Path> s = Files.list(dir)) {
            s.sorted(Comparator.comparing(p -> p.getFileName().toString(), LsCommand::compareCodePoints))
                    .forEach(p -> out.println(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
        }
        return true;
    }

    /** Regular files whose absolute path matches the glob, sorted, as Python's {@code glob(recursive=True)}. */
    private List<Path> localGlob(String pattern) throws IOException {
        Path abs = local(pattern);
        String[] parts = abs.toString().split("/", -1);
        int fixed = Glob.literalComponents(parts);
        Path start = Path.of("/" + String.join("/", java.util.Arrays.copyOf(parts, fixed)));
        boolean deep = abs.toString().contains("**");
        Glob glob = Glob.python(abs.toString().substring(1), deep, false);
        if (!Files.isDirectory(start)) {
            return Files.isRegularFile(abs) ? List.of(abs) : List.of();
        }
        try (Stream<Path> s = Files.walk(start, deep ? Integer.MAX_VALUE : parts.length - fixed)) {
            return s.filter(p -> Files.isRegularFile(p) && glob.matches(p.toString().substring(1)))
                    .sorted().toList();
        }
    }

    // --- changes ---

    private boolean readOnly(String command) {
        return !writable && say(command + ": archive is read-only (use barecat-shell --write)");
    }

    /** What a change does to the archive while it is not open for reading. */
    private interface Change {
        void apply() throws IOException;
    }

    /**
     * Runs a change through the write tools with the archive closed, then opens it again: the reader
     * opens the index as immutable and would not see the change.
     */
    private void change(Change change) throws IOException {
        archive.close();
        try {
            change.apply();
        } finally {
            archive = remote.open(name);
        }
    }

    private boolean rm(String arg) throws IOException {
        if (readOnly("rm")) {
            return true;
        }
        String path = resolve(onePath(arg));
        if (path.isEmpty()) {
            return say("rm: missing path");
        }
        Entry e = lookup(path).orElse(null);
        if (e instanceof DirEntry) {
            return say("rm: " + path + ": Is a directory (use rmdir or rm -r)");
        }
        if (e == null) {
            return say("rm: " + path + ": No such file");
        }
        change(() -> {
            try (ArchiveEditor editor = ArchiveEditor.open(ArchiveArgument.localPath(name))) {
                editor.remove(path);
                editor.commit();
            }
        });
        return say("Removed: " + path);
    }

    private boolean mv(String arg) throws IOException {
        if (readOnly("mv")) {
            return true;
        }
        List<String> args = words(arg);
        if (args.size() < 2) {
            return say("mv: need source and destination");
        }
        String from = resolve(args.get(0));
        String to = resolve(args.get(1));
        change(() -> {
            try (ArchiveEditor editor = ArchiveEditor.open(ArchiveArgument.localPath(name))) {
                editor.move(from, to);
                editor.commit();
            }
        });
        return say("Renamed: " + from + " -> " + to);
    }

    private boolean put(String arg) throws IOException {
        if (readOnly("put")) {
            return true;
        }
        List<String> args = words(arg);
        if (args.isEmpty()) {
            return say("put: missing local path");
        }
        Path source = local(args.get(0));
        String path = resolve(args.size() > 1 ? args.get(1) : source.getFileName().toString());
        if (!Files.isRegularFile(source)) {
            return say("put: " + source + ": No such file");
        }
        add(List.of(source), List.of(path));
        return say("Added: " + source + " -> " + path);
    }

    private boolean mput(String arg) throws IOException {
        if (readOnly("mput")) {
            return true;
        }
        List<String> args = words(arg);
        if (args.isEmpty()) {
            return say("mput: missing pattern");
        }
        String dir = args.size() > 1 ? resolve(args.get(1)) : cwd;
        List<Path> sources = localGlob(args.get(0));
        List<String> paths = sources.stream().map(p -> dir.isEmpty() ? p.getFileName().toString()
                : dir + "/" + p.getFileName()).toList();
        add(sources, paths);
        for (int i = 0; i < sources.size(); i++) {
            say("  " + sources.get(i) + " -> " + paths.get(i));
        }
        return say("Added " + sources.size() + " files");
    }

    /** Adds the files, bytes only as the original stores them, in one transaction: all of them or none. */
    private void add(List<Path> sources, List<String> paths) throws IOException {
        change(() -> {
            try (ArchiveAppender appender = ArchiveAppender.open(ArchiveArgument.localPath(name),
                    ArchiveAppender.Existing.FAIL)) {
                try {
                    for (int i = 0; i < sources.size(); i++) {
                        try (InputStream in = Files.newInputStream(sources.get(i))) {
                            appender.add(paths.get(i), in, Files.size(sources.get(i)), Attributes.NONE);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    appender.abort();
                    throw e;
                }
            }
        });
    }

    // --- help ---

    private boolean help(String arg) {
        if (!arg.isEmpty()) {
            Builtin b = commands.get(arg);
            return say(b == null ? "*** No help on " + arg : b.help());
        }
        say("");
        String header = "Documented commands (type help <topic>):";
        say(header);
        say("=".repeat(header.length()));
        columnize(List.copyOf(commands.keySet()), 79);
        return say("");
    }

    /** Python's {@code cmd.Cmd.columnize}: as few rows as fit the width, columns two spaces apart. */
    private void columnize(List<String> names, int width) {
        int size = names.size();
        int rows = 1;
        int[] widths = new int[0];
        for (; rows <= size; rows++) {
            int cols = (size + rows - 1) / rows;
            widths = new int[cols];
            int total = -2;
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows && c * rows + r < size; r++) {
                    widths[c] = Math.max(widths[c], names.get(c * rows + r).length());
                }
                total += widths[c] + 2;
            }
            if (total <= width) {
                break;
            }
        }
        for (int r = 0; r < rows; r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length && c * rows + r < size; c++) {
                line.append(c > 0 ? "  " : "").append(String.format("%-" + widths[c] + "s", names.get(c * rows + r)));
            }
            say(line.toString());
        }
    }

    // --- completion ---

    /**
     * The completions of {@code text}, an archive path as typed so far: the names in its directory that
     * start with its last component, as typed plus the name, directories with a {@code /}; at most
     * {@link #MAX_COMPLETIONS}.
     */
    List<String> complete(String text, boolean dirsOnly) throws IOException {
        int slash = text.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : text.substring(0, slash + 1);
        String prefix = text.substring(slash + 1);
        String dir = resolve(dirPart);
        List<String> matches = new ArrayList<>();
        if (!(lookup(dir).orElse(null) instanceof DirEntry)) {
            return matches;
        }
        DirectoryListing<Entry> listing = dirsOnly ? archive.listDirectories(dir) : archive.list(dir);
        for (Entry e = listing.take(); e != null && matches.size() < MAX_COMPLETIONS; e = listing.take()) {
            if (e.name().startsWith(prefix)) {
                matches.add(dirPart + e.name() + (e instanceof DirEntry ? "/" : ""));
            }
        }
        return matches;
    }

    @Override
    public void close() throws IOException {
        out.flush();
        archive.close();
    }
}
