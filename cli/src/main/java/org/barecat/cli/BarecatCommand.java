package org.barecat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code barecat}: make and inspect archives. */
@Command(name = "barecat", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Create, inspect, convert, verify and extract Barecat archives.",
        subcommands = {CreateCommand.class, AddCommand.class, ExtractCommand.class, ConvertCommand.class,
                VerifyCommand.class, LsCommand.class, CatCommand.class, FindCommand.class, DuCommand.class,
                TreeCommand.class, InfoCommand.class, RmCommand.class, MvCommand.class, DefragCommand.class, MergeCommand.class,
                SubsetCommand.class, IndexExportCommands.Csv.class, IndexExportCommands.Ncdu.class, UpgradeCommand.class,
                DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure: an archive, file or mount could not be used, or problems were found"
                + " (stderr says which, one line each)", "2:bad command-line arguments"})
public final class BarecatCommand {
    public static void main(String[] args) {
        System.setProperty("barecat.program", "barecat");
        System.exit(Errors.execute(commandLine(), args));
    }

    /** The command line with every subcommand; unexpected exceptions end as one line on stderr and exit code 1. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BarecatCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> Errors.fail(Errors.describe(e), 1));
        return cl;
    }
}
