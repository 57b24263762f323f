package org.barecat.cli;

import org.barecat.tools.write.ArchiveEditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/** {@code barecat mv ARCHIVE SRC DST}: renames a file or directory inside an archive. */
@Command(name = "mv",
        description = """
                Rename a file, or a directory with everything below it, inside the archive, in place (like mv: \
                into DST when DST is a directory). No bytes move. In one transaction: interrupted at any moment, \
                the archive is as it was before or as it is after. Refused while the archive is mounted.""")
final class MvCommand extends ArchiveWritingCommand {
    @Parameters(index = "1", paramLabel = "SRC")
    String source;

    @Parameters(index = "2", paramLabel = "DST")
    String target;

    @Override
    int run(Path archive) throws IOException {
        try (ArchiveEditor editor = ArchiveEditor.open(archive)) {
            try {
                editor.move(source, target);
            } catch (IOException e) {
                return Errors.fail("mv: " + Errors.describe(e), 1);
            }
            editor.commit();
            return 0;
        }
    }
}
