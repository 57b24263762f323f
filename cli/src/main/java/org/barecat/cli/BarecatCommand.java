package org.barecat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code barecat}: make and inspect archives. */
@Command(name = "barecat", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Create and inspect Barecat archives.",
        subcommands = {CreateCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:an archive, file or mount could not be used (one line on stderr says which)",
                "2:bad command-line arguments"})
public final class BarecatCommand {
    public static void main(String[] args) {
        System.setProperty("barecat.program", "barecat");
        System.exit(new CommandLine(new BarecatCommand()).execute(args));
    }
}
