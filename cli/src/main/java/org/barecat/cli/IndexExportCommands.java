package org.barecat.cli;

import org.barecat.remote.RemoteArchive;
import org.barecat.tools.convert.IndexExport;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code index-to-csv} and {@code to-ncdu-json}: the index written out for other tools, as the original writes it. */
final class IndexExportCommands {
    private IndexExportCommands() {
    }

    /** What both commands share: stdout as UTF-8, flushed before any error line. */
    private abstract static class IndexExportCommand extends ArchiveReadingCommand {
        abstract void write(Path archive, PrintStream out) throws IOException;

        /** Writes the index of the archive (for one given by URL, its copy in the cache) out. */
        @Override
        public Integer call() {
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            try (RemoteArchive remoteArchive = locate()) {
                write(remoteArchive == null ? archiveArgument.path() : remoteArchive.index(), out);
                out.flush();
                return 0;
            } catch (IOException e) {
                out.flush();
                return Errors.fail(e);
            }
        }
    }

    @Command(name = "index-to-csv",
            description = """
                    Print every file's row as CSV: path, shard, offset, size and CRC-32C, in path order (text \
                    quoted, lines ending in CRLF, as the original). Only the index is read.""")
    static final class Csv extends IndexExportCommand {
        @Override
        void write(Path archive, PrintStream out) throws IOException {
            IndexExport.csv(archive, out);
        }
    }

    @Command(name = "to-ncdu-json",
            description = """
                    Print the tree in ncdu's export format, to browse it with ncdu -f FILE. Only the index is \
                    read.""")
    static final class Ncdu extends IndexExportCommand {
        @Override
        void write(Path archive, PrintStream out) throws IOException {
            String v = Version.class.getPackage().getImplementationVersion();
            String version = v == null ? "0.0.0" : v.replaceAll("^([0-9]+(\\.[0-9]+){0,2}).*$", "$1");
            IndexExport.ncduJson(archive, version, out);
        }
    }
}
