package org.barecat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code barecat demo}: generate a small image data set, archive it and mount it. */
@Command(name = "demo",
        description = "Generate JPEG images in class folders, pack them into an archive and mount it.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "where to put the data, archive and mountpoint (default: ${DEFAULT-VALUE})")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "barecat-demo");

    @Option(names = "--per-class", paramLabel = "N", description = "images per class (default: ${DEFAULT-VALUE})")
    int perClass = 50;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path source = dir.resolve("images");
        Path archive = dir.resolve("demo.barecat");
        Path mountPoint = dir.resolve("mnt");
        if (Files.isDirectory(mountPoint) && Files.list(mountPoint).findAny().isPresent()) {
            return Errors.fail(mountPoint + ": is in use or not empty (unmount it with: fusermount -u "
                    + mountPoint + ")", 1);
        }
        if (!Files.isDirectory(source)) {
            int n = DemoImages.generate(source, perClass, 96);
            System.out.println("Generated " + n + " JPEG images in " + DemoImages.CLASSES.size()
                    + " class folders under " + source);
        }
        Files.createDirectories(mountPoint);
        int code = new picocli.CommandLine(new CreateCommand()).execute("-f", "-C", source.toString(),
                archive.toString(), ".");
        if (code != 0) {
            return code;
        }
        System.out.println("Created " + archive);
        code = mount(archive, mountPoint, dir.resolve("mount.log"));
        if (code != 0) {
            return code;
        }
        System.out.println("Mounted it read-only at " + mountPoint + "   (daemon log: " + dir.resolve("mount.log") + ")");
        System.out.println("Try:        ls " + mountPoint + "; find " + mountPoint + " | head; du -sh " + mountPoint);
        System.out.println("Unmount:    fusermount -u " + mountPoint);
        return 0;
    }

    /** Mounts with bin/barecat-mount, as a user would, so the daemon outlives this command. */
    private static int mount(Path archive, Path mountPoint, Path log) throws IOException, InterruptedException {
        String bin = System.getProperty("barecat.bin");
        if (bin == null) {
            return Errors.fail("demo: run it through bin/barecat (the mount needs bin/barecat-mount)", 1);
        }
        return new ProcessBuilder(Path.of(bin, "barecat-mount").toString(), archive.toString(), mountPoint.toString(),
                "--log", log.toString()).inheritIO().start().waitFor();
    }
}
