package org.barecat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code barecat}: make and inspect archives, and mount them. Help and version options, the usage
 * width and the exit-code section are declared here once and inherited by every subcommand.
 */
@Command(name = "barecat", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Version.class,
        usageHelpAutoWidth = true, descriptionHeading = "%n", parameterListHeading = "%n",
        description = "Create, inspect, convert, verify, extract and mount Barecat archives.",
        subcommands = {CreateCommand.class, AddCommand.class, ExtractCommand.class, ConvertCommand.class,
                VerifyCommand.class, LsCommand.class, CatCommand.class, FindCommand.class, DuCommand.class,
                TreeCommand.class, InfoCommand.class, ShellCommand.class, RmCommand.class, MvCommand.class, DefragCommand.class, ReshardCommand.class,
                MergeCommand.class, SubsetCommand.class, RsyncCommand.class, IndexExportCommands.Csv.class, IndexExportCommands.Ncdu.class,
                UpgradeCommand.class, CompletionScriptCommand.class, BarecatMount.class, ServeCommand.class,
                DemoCommand.class, TuiCommands.Browse.class, TuiCommands.Ncdu.class},
        exitCodeListHeading = BarecatCommand.EXIT_CODES,
        exitCodeList = {"0:success", "1:failure: an archive, file or mount could not be used, or problems were found"
                + " (stderr says which, one line each)", "2:bad command-line arguments"})
public final class BarecatCommand {
    /** The heading of every exit-code section. */
    static final String EXIT_CODES = "%nExit codes:%n";

    public static void main(String[] args) {
        System.setProperty("barecat.program", "barecat");
        System.exit(Errors.execute(commandLine(), args));
    }

    /** The command line with every subcommand; unexpected exceptions end as one line on stderr and exit code 1. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BarecatCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> Errors.handle(e));
        return cl;
    }
}
