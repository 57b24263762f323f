package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchivePaths;
import org.barecat.core.DirEntry;
import org.barecat.core.Entry;
import org.barecat.core.FileEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** {@code barecat cat ARCHIVE PATH...}: file contents to stdout. */
@Command(name = "cat",
        description = "Write the contents of files in the archive to stdout, one after the other (like cat).")
final class CatCommand extends ArchiveReadingCommand {
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        int code = 0;
        try (Archive archive = open()) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (String given : paths) {
                String p = ArchivePaths.normalize(given);
                Entry e = p == null ? null : archive.lookup(p).orElse(null);
                if (!(e instanceof FileEntry f)) {
                    code = Errors.fail("cat: " + given + ": " + (e instanceof DirEntry ? "Is a directory"
                            : "No such file in the archive"), 1);
                    continue;
                }
                try {
                    for (long pos = 0; pos < f.size(); ) {
                        buffer.clear();
                        int n = archive.read(f, pos, buffer);
                        out.write(buffer.array(), 0, n);
                        if (out.checkError()) {
                            return 1; // stdout was closed (e.g. piped into head): stop like cat does
                        }
                        pos += n;
                    }
                } catch (IOException ex) {
                    code = Errors.fail("cat: " + given + ": " + ex.getMessage(), 1);
                }
            }
            out.flush();
            return code;
        } catch (IOException e) {
            out.flush();
            return Errors.fail(e);
        }
    }
}
