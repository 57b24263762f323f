package org.barecat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code barecat completion-script bash}: where the shell completion script is, as the original prints it. */
@Command(name = "completion-script",
        description = """
                Print the path of the shell completion script, to use as: source $(barecat completion-script \
                bash). zsh reads the same script after: autoload -U +X bashcompinit && bashcompinit.""")
final class CompletionScriptCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        if (!List.of("bash", "zsh").contains(shell)) {
            return Errors.fail("completion-script: " + shell + ": no completion for this shell (bash or zsh)", 2);
        }
        // the launcher says where it runs from: bin/ of the source tree (the build writes the script
        // beside the jar) or PREFIX/bin of an installation (scripts/install.sh puts it under share/)
        Path bin = Path.of(System.getProperty("barecat.bin", "bin"));
        for (Path script : List.of(bin.resolve("../share/bash-completion/completions/barecat"),
                bin.resolve("../cli/target/barecat.bash"))) {
            if (Files.isRegularFile(script)) {
                System.out.println(script.toAbsolutePath().normalize());
                return 0;
            }
        }
        return Errors.fail("completion-script: no completion script beside " + bin.toAbsolutePath().normalize()
                + "; build it with ./mvnw package, or install with scripts/install.sh", 1);
    }
}
