package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.Attributes;
import org.barecat.fuse.FuseMount;
import org.barecat.tools.write.ArchiveWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training run for barecat-mount's class-data archive (AppCDS): bin/barecat-launch runs this once
 * per jar and JVM with {@code -XX:DumpLoadedClassList}, dumps the classes it loaded into a static
 * archive, and every later mount maps them instead of reading, parsing and verifying them, the
 * largest part of a mount's start. It writes a small archive in a temporary directory, goes through
 * a mount's steps on it without mounting ({@link FuseMount#rehearse}), and logs as a daemon does.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    /** With {@code --check}: only starts, so the launcher sees that the JVM maps the archive it is given. */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--check")) {
            return;
        }
        Path dir = Files.createTempDirectory("barecat-cds-");
        try {
            Path archive = dir.resolve("training.barecat");
            try (ArchiveWriter w = ArchiveWriter.create(archive)) {
                for (int d = 0; d < 20; d++) {
                    for (int f = 0; f < 50; f++) {
                        w.add("class_" + d + "/image_" + f + ".jpg",
                                ("image " + d + " " + f).getBytes(StandardCharsets.UTF_8), Attributes.NONE);
                    }
                }
            }
            new CommandLine(new BarecatMount()).parseArgs(archive.toString(), dir.toString(), "-f", "-o", "ro");
            try (Archive a = Archive.open(archive)) {
                FuseMount.rehearse(a);
            }
            // a daemon's log: a line on stderr, then the move to its --log file and a line there
            Logger log = LoggerFactory.getLogger(ClassDataTraining.class);
            log.info("class-data training: logging to stderr");
            LogConfigurator.toFile(dir.resolve("training.log"));
            log.info("class-data training: logging to a file");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }
}
