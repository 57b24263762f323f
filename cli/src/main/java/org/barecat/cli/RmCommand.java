package org.barecat.cli;

import org.barecat.tools.write.ArchiveEditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code barecat rm ARCHIVE PATH...}: removes files and directories from an archive. */
@Command(name = "rm",
        description = """
                Remove files, and directories with everything below them, from the archive, in place. Their \
                bytes stay in the shards as gaps until `barecat defrag` reclaims them. In one transaction: \
                interrupted at any moment, the archive is as it was before or as it is after. Refused while the \
                archive is mounted. A PATH that is not in the archive is reported and the others removed (exit \
                1).""")
final class RmCommand extends ArchiveWritingCommand {
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    @Override
    int run(Path archive) throws IOException {
        int code = 0;
        try (ArchiveEditor editor = ArchiveEditor.open(archive)) {
            for (String p : paths) {
                try {
                    editor.remove(p);
                } catch (IOException e) {
                    code = Errors.fail("rm: " + Errors.describe(e), 1);
                }
            }
            editor.commit();
            return code;
        }
    }
}
