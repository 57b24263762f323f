package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.testing.ClassResource;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Unmounting, on real mounts in this JVM: a mount unmounted from outside (fusermount -u) and then
 * asked to unmount, as its daemon's shutdown hook does on the way out, leaves alone the next mount
 * made at the same mountpoint.
 */
class UnmountTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final ClassResource<Archive> archive = new ClassResource<>(dir -> {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "FUSE");
        Path path = dir.resolve("u.barecat");
        try (TreeBuilder w = TreeBuilder.archive(path)) {
            w.file("a/hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        }
        return Archive.open(path);
    });

    private static FuseMount mount(Path point) throws IOException {
        return FuseMount.mount(archive.get(), point, MountOptions.parse(List.of()), new EntryDefaults(0, 0, 0), false);
    }

    private static void fusermount(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("fusermount"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    @Test
    void anEndedMountDoesNotUnmountTheOneMadeAfterItAtTheSamePlace() throws Exception {
        Path point = Files.createTempDirectory(tmp, "mnt-");
        FuseMount first = mount(point);
        FuseMount second = null;
        try {
            fusermount("-u", point.toString());
            first.awaitUnmount();
            assertFalse(MountTable.isMounted(point.toRealPath()));
            second = mount(point);
            first.unmount(); // what the first daemon's shutdown hook does as it exits
            assertTrue(MountTable.isMounted(point.toRealPath()), "the second mount is still there");
            assertEquals("hello\n", Files.readString(point.resolve("a/hello.txt")));
        } finally {
            for (FuseMount m : new FuseMount[] {second, first}) {
                if (m != null) {
                    if (MountTable.isMounted(point.toRealPath())) {
                        m.unmount();
                    }
                    m.awaitUnmount();
                }
            }
            if (MountTable.isMounted(point.toRealPath())) {
                fusermount("-uz", point.toString());
            }
        }
    }
}
