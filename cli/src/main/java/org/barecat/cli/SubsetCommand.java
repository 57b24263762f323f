package org.barecat.cli;

import org.barecat.tools.merge.ArchiveMerge;
import org.barecat.tools.merge.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;

/** {@code barecat subset ARCHIVE -o OUT --pattern GLOB}: a new archive of some of an archive's files. */
@Command(name = "subset",
        description = """
                Make a new archive of the files of ARCHIVE that --pattern, or the -i and -x rules, take (all of \
                them without either). With a selection, directories are made only where a taken file needs them. \
                OUT appears only once complete.""")
final class SubsetCommand extends ArchiveWritingCommand {
    @Mixin
    OutputArchiveOptions out = new OutputArchiveOptions();

    @Mixin
    SelectionOptions selection;

    @Override
    int run(Path archive) {
        Selection selected = selection.selection();
        return MergeCommand.run(List.of(archive), out, false,
                new ArchiveMerge.Options(null, false, selected, false));
    }
}
