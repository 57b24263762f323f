package org.barecat.cli;

import org.barecat.tools.write.ArchiveEditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code barecat rm ARCHIVE PATH...}: removes files and directories from an archive. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Remove files, and directories with everything below them, from the archive, in place."
                + " Their bytes stay in the shards as gaps until `barecat defrag` reclaims them. All or nothing:"
                + " interrupted at any moment, the archive is as it was before or as it is after. Refused while the"
                + " archive is mounted.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every PATH was removed", "1:some PATH is not in the archive (the others are removed),"
                + " or the archive cannot be changed", "2:bad command-line arguments"})
final class RmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE")
    Path archivePath;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() {
        int code = 0;
        try (ArchiveEditor editor = ArchiveEditor.open(archivePath)) {
            for (String p : paths) {
                try {
                    editor.remove(p);
                } catch (IOException e) {
                    code = Errors.fail("rm: " + Errors.describe(e), 1);
                }
            }
            editor.commit();
            return code;
        } catch (IOException e) {
            return Errors.fail(e);
        }
    }
}
