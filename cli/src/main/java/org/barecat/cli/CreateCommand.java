package org.barecat.cli;

import org.barecat.core.ArchivePaths;
import org.barecat.core.ArchiveWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code barecat create ARCHIVE [PATHS...]}: stores files and directories like {@code tar c} does. */
@Command(name = "create", aliases = "c", mixinStandardHelpOptions = true,
        description = {"Create a new archive from files and directories (directories recursively).",
                "Entries are stored under the paths as given, like tar; use -C DIR . to store a directory's contents."})
final class CreateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE")
    Path archive;

    @Parameters(index = "1..*", paramLabel = "PATHS", description = "files and directories to add")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-C", "--directory"}, paramLabel = "DIR", description = "change to DIR before adding")
    Path directory = Path.of("");

    @Option(names = {"-s", "--shard-size-limit"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "start a new shard before one would pass SIZE (e.g. 10G); default unlimited")
    long shardSizeLimit = Long.MAX_VALUE;

    @Option(names = {"-f", "--force"}, description = "overwrite an existing archive")
    boolean force;

    @Override
    public Integer call() {
        if (paths.isEmpty()) {
            return Errors.fail("create: no paths given (nothing to store)", 2);
        }
        ArchiveWriter writer;
        try {
            writer = ArchiveWriter.create(archive, shardSizeLimit, force);
        } catch (IOException e) {
            return Errors.fail(e);
        }
        try {
            for (String p : paths) {
                add(writer, p);
            }
            writer.close();
            return 0;
        } catch (IOException e) {
            writer.abort();
            return Errors.fail(e);
        }
    }

    private void add(ArchiveWriter writer, String given) throws IOException {
        Path source = directory.resolve(given);
        String base = ArchivePaths.normalize(Path.of(given).normalize().toString().replaceFirst("^(\\.\\.?/)+", ""));
        if (base == null || !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.NoSuchFileException(source.toString());
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                writer.addDirectory(archivePath(base, source, dir), ArchiveWriter.attributesOf(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    writer.addFile(archivePath(base, source, file), file);
                } else {
                    System.err.println("barecat: " + file + ": skipped (not a regular file or directory)");
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String archivePath(String base, Path root, Path p) {
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? base : ArchivePaths.child(base, rel);
    }
}
