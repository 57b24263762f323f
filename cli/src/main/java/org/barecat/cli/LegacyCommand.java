package org.barecat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The original barecat's older command names ({@code barecat-create}, {@code barecat-merge}, ...),
 * with their arguments, so that scripts written for them run unchanged: each says once on stderr
 * that it is deprecated, as the original does, and runs the command of today it stands for.
 * {@code bin/barecat-legacy} starts it with the name it was called by.
 */
@Command(name = "barecat-legacy", subcommands = {LegacyCommand.Create.class, LegacyCommand.CreateRecursive.class,
        LegacyCommand.Extract.class, LegacyCommand.ExtractSingle.class, LegacyCommand.Merge.class,
        LegacyCommand.MergeSymlink.class, LegacyCommand.Verify.class, LegacyCommand.Defrag.class,
        LegacyCommand.Archive2Barecat.class,
        LegacyCommand.Barecat2Archive.class, LegacyCommand.UpgradeDatabase.class})
public final class LegacyCommand {
    public static void main(String[] args) {
        System.setProperty("barecat.program", args.length > 0 ? args[0] : "barecat-legacy");
        CommandLine cl = new CommandLine(new LegacyCommand())
                .addSubcommand("barecat-index-to-csv", new IndexFile("index-to-csv"))
                .addSubcommand("barecat-to-ncdu-json", new IndexFile("to-ncdu-json"));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> Errors.fail(Errors.describe(e), 1));
        System.exit(Errors.execute(cl, withLongOptionsSpelledOut(cl, args)));
    }

    /**
     * The arguments with each unambiguous prefix of a long option ({@code --shard=1G},
     * {@code --ignore}) spelled out, as argparse takes them.
     */
    static String[] withLongOptionsSpelledOut(CommandLine cl, String[] args) {
        CommandLine sub = args.length > 0 ? cl.getSubcommands().get(args[0]) : null;
        if (sub == null) {
            return args;
        }
        String[] out = args.clone();
        for (int i = 1; i < out.length; i++) {
            if (!out[i].startsWith("--") || out[i].equals("--")) {
                continue;
            }
            int eq = out[i].indexOf('=');
            String given = eq < 0 ? out[i] : out[i].substring(0, eq);
            List<String> matches = new ArrayList<>();
            for (String name : sub.getCommandSpec().optionsMap().keySet()) {
                if (name.equals(given)) {
                    matches = List.of(name);
                    break;
                }
                if (name.startsWith(given)) {
                    matches.add(name);
                }
            }
            if (matches.size() == 1) {
                out[i] = matches.get(0) + (eq < 0 ? "" : out[i].substring(eq));
            }
        }
        return out;
    }

    /**
     * One of the original's commands: its {@code @Command} name is the older command's, and {@link #call}
     * maps its options onto the command of today.
     */
    abstract static class Launcher implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Says on stderr that this command is deprecated, naming the command to use {@code instead}. */
        final void sayDeprecated(String instead) {
            System.err.println(spec.name() + " is deprecated, use '" + instead + "' instead");
        }

        /** Says that this command is deprecated, then runs {@code barecat args...}; {@code quiet}: prints stdout only on failure. */
        final int run(String instead, boolean quiet, List<String> args) {
            sayDeprecated(instead);
            if (!quiet) {
                return BarecatCommand.commandLine().execute(args.toArray(String[]::new));
            }
            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                code = BarecatCommand.commandLine().execute(args.toArray(String[]::new));
            } finally {
                System.setOut(out);
            }
            if (code != 0) {
                out.print(captured.toString(StandardCharsets.UTF_8));
                out.flush();
            }
            return code;
        }
    }

    /** The arguments of the command of today, built from the original's options. */
    private static final class Args {
        private final List<String> list;

        Args(String... first) {
            list = new ArrayList<>(List.of(first));
        }

        /** Adds {@code words}. */
        Args add(String... words) {
            list.addAll(List.of(words));
            return this;
        }

        /** Adds {@code words}. */
        Args add(List<String> words) {
            list.addAll(words);
            return this;
        }

        /** Adds {@code words} when {@code on}. */
        Args when(boolean on, String... words) {
            return on ? add(words) : this;
        }

        /** Adds {@code option value} when a value was given. */
        Args option(String option, Object value) {
            return value == null ? this : add(option, value.toString());
        }

        /** Adds {@code -s LIMIT} and {@code -f} as {@code output} asks, when {@code on}. */
        Args output(OutputOptions output, boolean on) {
            return on ? option("-s", output.limit).when(output.overwrite, "-f") : this;
        }

        List<String> list() {
            return list;
        }
    }

    /** The options of the original's commands that write a new archive. */
    static final class OutputOptions {
        @Option(names = "--shard-size-limit") String limit;
        @Option(names = "--overwrite") boolean overwrite;
    }

    @Command(name = "barecat-create")
    static final class Create extends Launcher {
        @Option(names = "--file", required = true) String file;
        @Option(names = "--null") boolean nul;
        @Option(names = "--workers") Integer workers;
        @Mixin OutputOptions output;

        @Override
        public Integer call() {
            return run("barecat create -T -", false, new Args("create", "-q", "-T", "-")
                    .when(nul, "-0").option("-j", workers).output(output, true).add(file).list());
        }
    }

    @Command(name = "barecat-create-recursive")
    static final class CreateRecursive extends Launcher {
        @Option(names = "--file", required = true) String file;
        @Option(names = "--workers") Integer workers;
        @Mixin OutputOptions output;
        @Option(names = "--physical-order") boolean physicalOrder;
        @Option(names = "--strip-root") boolean stripRoot; // always on, as in the original
        @Parameters(arity = "1..*") List<String> roots;

        @Override
        public Integer call() {
            sayDeprecated("barecat create -C ROOT ARCHIVE .");
            int code = 0;
            for (int i = 0; i < roots.size() && code == 0; i++) {
                // each root's contents are stored relative to it: the first creates, the others add
                List<String> a = new Args(i == 0 ? "create" : "add", "-q", "-C", roots.get(i))
                        .option("-j", workers).output(output, i == 0)
                        .add(Path.of(file).toAbsolutePath().toString(), ".").list();
                code = BarecatCommand.commandLine().execute(a.toArray(String[]::new));
            }
            return code;
        }
    }

    @Command(name = "barecat-extract")
    static final class Extract extends Launcher {
        @Option(names = "--file", required = true) String file;
        @Option(names = "--target-directory", required = true) String target;

        @Override
        public Integer call() {
            return run("barecat extract", false, List.of("extract", "-q", file, "-C", target));
        }
    }

    @Command(name = "barecat-extract-single")
    static final class ExtractSingle extends Launcher {
        @Option(names = "--barecat-file", required = true) String file;
        @Option(names = "--path", required = true) String path;

        @Override
        public Integer call() {
            return run("barecat cat", false, List.of("cat", file, path));
        }
    }

    @Command(name = "barecat-merge")
    static final class Merge extends Launcher {
        @Parameters(arity = "1..*") List<String> inputs;
        @Option(names = "--output", required = true) String output;
        @Mixin OutputOptions outputOptions;
        @Option(names = "--ignore-duplicates") boolean ignoreDuplicates;

        @Override
        public Integer call() {
            // without --overwrite an existing output is added to, as the original does
            List<String> a = new Args("merge", "-o", output).output(outputOptions, true)
                    .when(!outputOptions.overwrite && Files.exists(Path.of(output)), "-a")
                    .when(ignoreDuplicates, "--ignore-duplicates").add(inputs).list();
            return run("barecat merge", false, a);
        }
    }

    @Command(name = "barecat-merge-symlink")
    static final class MergeSymlink extends Launcher {
        @Parameters(arity = "1..*") List<String> inputs;
        @Option(names = "--output", required = true) String output;
        @Option(names = "--overwrite") boolean overwrite;
        @Option(names = "--ignore-duplicates") boolean ignoreDuplicates;

        @Override
        public Integer call() {
            return run("barecat merge --symlink", false,
                    new Args("merge", "--symlink", "-o", output).when(overwrite, "-f")
                            .when(ignoreDuplicates, "--ignore-duplicates").add(inputs).list());
        }
    }

    /** The operand and --quick of barecat-verify and barecat-defrag. */
    static final class QuickCheck {
        @Parameters(index = "0") String file;
        @Option(names = "--quick") boolean quick;
    }

    @Command(name = "barecat-verify")
    static final class Verify extends Launcher {
        @Mixin QuickCheck check;

        @Override
        public Integer call() {
            return run("barecat verify", true,
                    new Args("verify", "-q").when(check.quick, "--quick").add(check.file).list());
        }
    }

    @Command(name = "barecat-defrag")
    static final class Defrag extends Launcher {
        @Mixin QuickCheck check;

        @Override
        public Integer call() {
            return run("barecat defrag", true,
                    new Args("defrag").when(check.quick, "--quick", "--max-seconds", "5").add(check.file).list());
        }
    }

    /** The index exports, which took the index file itself: {@code index-to-csv} and {@code to-ncdu-json}. */
    @Command
    static final class IndexFile extends Launcher {
        private final String command;
        @Parameters(index = "0") String file;

        IndexFile(String command) {
            this.command = command;
        }

        @Override
        public Integer call() {
            return run("barecat " + command, false, List.of(command, file));
        }
    }

    @Command(name = "archive2barecat")
    static final class Archive2Barecat extends Launcher {
        @Parameters(index = "0") String archive;
        @Parameters(index = "1") String barecat;
        @Mixin OutputOptions output;

        @Override
        public Integer call() {
            return run("barecat convert", false,
                    new Args("convert", "-q").output(output, true).add(archive, barecat).list());
        }
    }

    @Command(name = "barecat2archive")
    static final class Barecat2Archive extends Launcher {
        @Parameters(index = "0") String barecat;
        @Parameters(index = "1") String archive;

        @Override
        public Integer call() {
            return run("barecat convert", false, List.of("convert", "-q", "-f", barecat, archive));
        }
    }

    @Command(name = "barecat-upgrade-database")
    static final class UpgradeDatabase extends Launcher {
        @Parameters(index = "0") String path;
        @Option(names = "--workers") Integer workers;

        @Override
        public Integer call() {
            return run("barecat upgrade", false, List.of("upgrade", path));
        }
    }
}
