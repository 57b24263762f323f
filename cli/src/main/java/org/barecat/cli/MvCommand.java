package org.barecat.cli;

import org.barecat.tools.write.ArchiveEditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code barecat mv ARCHIVE SRC DST}: renames a file or directory inside an archive. */
@Command(name = "mv",
        description = "Rename a file, or a directory with everything below it, inside the archive, in place (like"
                + " mv: into DST when DST is a directory). No bytes move. In one transaction: interrupted at any"
                + " moment, the archive is as it was before or as it is after. Refused while the archive is mounted.")
final class MvCommand implements Callable<Integer> {
    @Mixin
    ArchiveArgument archiveArgument = new ArchiveArgument();

    @Parameters(index = "1", paramLabel = "SRC")
    String source;

    @Parameters(index = "2", paramLabel = "DST")
    String target;

    @Override
    public Integer call() {
        try (ArchiveEditor editor = ArchiveEditor.open(archiveArgument.path())) {
            try {
                editor.move(source, target);
            } catch (IOException e) {
                return Errors.fail("mv: " + Errors.describe(e), 1);
            }
            editor.commit();
            return 0;
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }
}
