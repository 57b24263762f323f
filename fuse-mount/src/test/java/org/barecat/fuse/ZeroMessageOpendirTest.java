package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.testing.ClassResource;
import org.barecat.testing.MountExtension;
import org.barecat.testing.SampleTrees;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Directories opened without a message, on a real mount in this JVM (a kernel of 5.1 or newer offers
 * them): the kernel sends one OPENDIR (answered ENOSYS) and from then on lists each directory by node
 * id alone; every listing is whole, one that takes dozens of READDIRs too, also with two readers at
 * once; and the nodes held for directories go when the kernel forgets them.
 */
class ZeroMessageOpendirTest {
    @RegisterExtension
    final MountExtension mounts = new MountExtension();
    private static final List<String> FILES = new ArrayList<>();
    private static final List<String> LARGE_NAMES = new ArrayList<>();
    /** Names of some 30 bytes: a page of READDIR reply holds about 70, so the large directory takes some 40. */
    private static final int LARGE = 3_000;
    @RegisterExtension
    static final ClassResource<Archive> archive = new ClassResource<>(dir -> {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "FUSE");
        Path path = dir.resolve("z.barecat");
        try (TreeBuilder w = TreeBuilder.archive(path)) {
            FILES.addAll(SampleTrees.directories(w, 5, 20, 4, name -> name.getBytes(StandardCharsets.UTF_8)));
            for (int f = 0; f < LARGE; f++) {
                String name = String.format("a-file-with-a-longer-name-%05d", f);
                w.file("large/" + name, new byte[] {(byte) f});
                FILES.add("large/" + name);
                LARGE_NAMES.add(name);
            }
        }
        FILES.sort(null);
        return Archive.open(path);
    });

    @Test
    void listsEveryDirectoryAfterOneOpendirAndForgetsWhatTheKernelForgets() throws Exception {
        java.io.ByteArrayOutputStream trace = new java.io.ByteArrayOutputStream();
        FuseMount mount = mounts.mount(at -> FuseMount.mount(archive.get(), at, MountOptions.parse(List.of()),
                new EntryDefaults(0, 0, 0), new org.barecat.fuse.kernel.Trace(new java.io.PrintStream(trace, true))),
                FuseMount::awaitUnmount);
        Path point = mount.mountPoint();
        assertEquals("f0\nf1\nf10\n", listing(point.resolve("d0").toString()).substring(0, 10));
        String large = point.resolve("large").toString(); // before this, the kernel has stopped sending OPENDIR
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> listing(large));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> listing(large));
        String expected = String.join("\n", LARGE_NAMES) + "\n";
        assertEquals(expected, first.get(), "one of two readers listing the large directory at once");
        assertEquals(expected, second.get(), "the other");
        String all = String.join("\n", FILES) + "\n";
        assertEquals(all, FindSizes.files(point));
        assertEquals(1, trace.toString().lines().filter(l -> l.matches("unique \\d+: OPENDIR .*")).count(),
                "the kernel's first OPENDIR, and no other");
        int held = mount.fs().nodesHeld();
        assertTrue(held >= 12, "the root, d0-d4, their subdirectories and large: " + held);

        Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
        assumeTrue(Files.isWritable(dropCaches), "root, to have the kernel forget its dentries and inodes");
        // (what is above has been checked by then; a test without root reports itself skipped)
        Files.writeString(dropCaches, "2");
        for (int i = 0; i < 500 && mount.fs().nodesHeld() > 1; i++) {
            Thread.sleep(10); // FORGETs come in the background
        }
        assertEquals(1, mount.fs().nodesHeld(), "every directory forgotten, the root left");
        assertEquals(all, FindSizes.files(point), "listed again, by node ids looked up again");
        assertEquals(expected, listing(large));
    }

    /** The names in {@code dir}, sorted, from {@code ls -f} (unsorted, as read). */
    private static String listing(String dir) {
        try {
            String out = FindSizes.run("ls", "-f", dir);
            return out.lines().filter(n -> !n.equals(".") && !n.equals("..")).sorted().reduce("", (a, b) -> a + b + "\n");
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
