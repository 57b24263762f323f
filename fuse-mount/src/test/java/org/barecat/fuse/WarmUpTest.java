package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.testing.ClassResource;
import org.barecat.testing.MountExtension;
import org.barecat.testing.SampleTrees;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JIT warm-up on a real mount, in this JVM: its made-up requests are answered by the same code
 * as the kernel's, leave the mount answering as before, do not count as the mount being used, and
 * stop at the first request from the kernel and once the mount is gone.
 */
class WarmUpTest {
    @RegisterExtension
    final MountExtension mounts = new MountExtension();
    private static final List<String> FILES = new ArrayList<>();
    @RegisterExtension
    static final ClassResource<Archive> archive = new ClassResource<>(dir -> {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "FUSE");
        Path path = dir.resolve("w.barecat");
        try (TreeBuilder w = TreeBuilder.archive(path)) {
            FILES.addAll(SampleTrees.directories(w, 5, 30, 10, WarmUpTest::content));
        }
        FILES.sort(null);
        return Archive.open(path);
    });

    private static byte[] content(String name) {
        return (name + "\n").repeat(50).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersItsRequestsAndLeavesTheMountAnsweringAsBefore() throws Exception {
        FuseMount mount = TestMounts.mount(mounts, archive.get());
        // 160 entries: the walk goes round the tree many times, and never counts as the mount being used
        int held = mount.fs().nodesHeld();
        int first = mount.warmUp(5_000);
        assertTrue(first >= 5_000, "requests answered: " + first);
        int second = mount.warmUp(2_000);
        assertTrue(second >= 2_000, "requests answered, second time: " + second);
        assertEquals(held, mount.fs().nodesHeld(), "every node it looked up, forgotten again");
        assertEquals(String.join("\n", FILES) + "\n", FindSizes.files(mount.mountPoint()));
        for (String name : List.of("d0/f0", "d3/sub/f19", "d4/f28")) {
            assertArrayEquals(content(name), Files.readAllBytes(mount.mountPoint().resolve(name)), name);
        }
    }

    @Test
    void firstWalksThroughEveryDirectoryAsAFindDoes() throws Exception {
        FuseMount mount = TestMounts.mount(mounts, archive.get());
        // enough requests to list the 11 directories, not to look up their 150 files on the way
        mount.warmUp(60);
        for (String dir : List.of("", "d0", "d4", "d0/sub", "d4/sub")) {
            assertTrue(mount.fs().holdsListing(dir), "listing held: '" + dir + "'");
        }
    }

    @Test
    void stopsAtTheFirstRequestFromTheKernel() throws Exception {
        FuseMount mount = TestMounts.mount(mounts, archive.get());
        Thread user = new Thread(() -> {
            try {
                Thread.sleep(300);
                Files.readAllBytes(mount.mountPoint().resolve("d1/f2"));
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        user.start();
        int made = mount.warmUp(Integer.MAX_VALUE); // hours of requests, were it not stopped
        user.join();
        assertTrue(made > 0 && made < Integer.MAX_VALUE, "stopped after " + made);
        assertEquals(0, mount.warmUp(1_000), "once the mount has been used");
    }

    @Test
    void answersNothingOnceUnmounted() throws Exception {
        FuseMount mount = TestMounts.mount(mounts, archive.get());
        mount.unmount();
        mount.awaitUnmount();
        assertEquals(0, mount.warmUp(1_000));
    }
}
