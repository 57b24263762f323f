package org.barecat.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every command shares through the top command (help, version, exit codes, the ARCHIVE operand,
 * paragraphs wrapped to the width asked for), and the completion script and man pages the build
 * writes from the same definitions (cli/pom.xml, before the tests run).
 */
class CommandSkeletonTest {
    private static final Path TARGET = Path.of("target");

    /** Every subcommand's name, without its aliases. */
    private static Set<String> commands() {
        Set<String> names = new LinkedHashSet<>();
        BarecatCommand.commandLine().getSubcommands().values().forEach(c -> names.add(c.getCommandName()));
        return names;
    }

    @Test
    void everyCommandHasVersionAndTheExitCodesOfTheTopCommand() {
        assertTrue(commands().contains("mount"), commands().toString());
        for (String name : commands()) {
            String help = Cli.run(name, "--help").out();
            assertTrue(help.startsWith("Usage: barecat " + name + " "), help);
            assertTrue(help.contains("\nExit codes:\n  0 "), name + ": " + help);
            assertTrue(help.contains("bad command-line arguments"), name + ": " + help);
            if (!name.equals("ls") && !name.equals("du")) { // their -h is --human-readable, as in ls and du
                assertEquals("barecat-java dev\n", Cli.run(name, "--version").out(), name);
            }
        }
    }

    @Test
    void everyCommandOnOneArchiveTakesTheSameArchiveOperand() {
        CommandLine top = BarecatCommand.commandLine();
        String expected = top.getSubcommands().get("info").getCommandSpec().positionalParameters().get(0)
                .description()[0];
        for (String name : List.of("create", "add", "extract", "verify", "ls", "cat", "find", "du", "tree", "info",
                "defrag", "reshard")) {
            CommandLine.Model.PositionalParamSpec archive = top.getSubcommands().get(name).getCommandSpec()
                    .positionalParameters().get(0);
            assertEquals("ARCHIVE", archive.paramLabel(), name);
            assertEquals(expected, archive.description()[0], name);
        }
    }

    @Test
    void descriptionsAreWrappedToTheWidthAsked() {
        for (int width : new int[] {80, 120}) {
            for (String name : commands()) {
                CommandLine sub = BarecatCommand.commandLine().getSubcommands().get(name);
                sub.setUsageHelpWidth(width);
                String help = sub.getUsageMessage();
                for (String line : help.split("\n")) {
                    assertTrue(line.length() <= width, name + " at " + width + ": " + line);
                }
                // a paragraph is never cut where the source line happened to end: only its last line is short
                String text = help.substring(help.indexOf("\n\n") + 2, help.indexOf("\n\n", help.indexOf("\n\n") + 2));
                assertTrue(text.lines().count() < 2 || text.lines().findFirst().orElseThrow().length() > width / 2,
                        name + " at " + width + ": " + text);
            }
        }
    }

    @Test
    void theBuildWritesCompletionAndManPagesForEveryCommand() throws IOException {
        String completion = Files.readString(TARGET.resolve("barecat.bash"));
        assertTrue(completion.contains("complete -F _complete_barecat"), "a bash completion script");
        String topPage = Files.readString(TARGET.resolve("man/barecat.1"));
        assertTrue(topPage.contains(".TH \"BARECAT\" \"1\""), "a troff man page");
        for (String name : commands()) {
            assertTrue(completion.contains(" " + name + " ") || completion.contains(" " + name + "\""),
                    "the completion knows " + name);
            String troff = name.replace("-", "\\-"); // troff writes a hyphen as \-
            assertTrue(topPage.contains("\\fB" + troff + "\\fP"), "barecat(1) lists " + name);
            String page = Files.readString(TARGET.resolve("man/barecat-" + name + ".1"));
            assertTrue(page.contains(".SH \"SYNOPSIS\""), name);
            assertTrue(page.contains("barecat " + troff), name);
        }
        String mountCompletion = Files.readString(TARGET.resolve("barecat-mount.bash"));
        assertTrue(mountCompletion.contains("complete -F _complete_barecat-mount") && mountCompletion.contains("--log"),
                "barecat-mount's own completion");
    }
}
