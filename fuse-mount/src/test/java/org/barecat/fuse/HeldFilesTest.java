package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file entries the kernel holds stay bounded when libfuse keeps a node for each (an index in
 * the 0.2 layout, whose files have no rowids for {@link FuseSession} to name them by), on a real
 * mount in this JVM: an lstat of 1,500
 * files with room for 100 has the kernel drop the other 1,400 (it answers each notification that
 * it held that entry, and an entry dropped is looked up again when used); every file still shows
 * its own size on the next pass, and on one after the kernel forgot all it held; and a file open
 * while its entry is dropped still reads.
 */
class HeldFilesTest {
    @TempDir
    static Path tmp;
    private static Archive archive;
    private static final int HELD = 100;
    private static final int DIRS = 3;
    private static final int PER_DIR = 500;
    /** Sizes 0..PER_DIR-1 and their paths, as {@code find -printf '%P %s\n'} prints them, sorted. */
    private static String expected;

    @BeforeAll
    static void writeArchive() throws IOException {
        System.setProperty("barecat.requestPath", "libfuse"); // what this tests is libfuse's request path
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "FUSE");
        assumeTrue(KernelVersion.atLeast(5, 1), "a kernel that takes ENOSYS from opendir as success");
        Path path = tmp.resolve("h.barecat");
        StringBuilder lines = new StringBuilder();
        try (ArchiveWriter w = ArchiveWriter.create(path)) {
            for (int d = 0; d < DIRS; d++) {
                lines.append(FindSizes.addSized(w, "d" + d + "/f%03d", PER_DIR));
            }
        }
        FindSizes.dropFileRowids(path);
        expected = lines.toString();
        archive = Archive.open(path);
        assertFalse(archive.hasFileRows());
    }

    @AfterAll
    static void close() throws IOException {
        System.clearProperty("barecat.requestPath");
        if (archive != null) {
            archive.close();
        }
    }

    @Test
    void theKernelDropsTheOldestFileEntriesBeyondTheBound() throws Exception {
        Path point = Files.createDirectory(tmp.resolve("mnt"));
        System.setProperty("barecat.heldFiles", Integer.toString(HELD));
        FuseMount mount;
        try {
            mount = FuseMount.mount(archive, point, MountOptions.parse(List.of()), new EntryDefaults(0, 0, 0), false);
        } finally {
            System.clearProperty("barecat.heldFiles");
        }
        try (FileChannel open = FileChannel.open(point.resolve("d0/f499"))) {
            assertEquals(expected, FindSizes.of(point));
            // d0/f499 twice: by the open, and by find, since the 100 entries find looked up before it
            // pushed it out
            int pushedOut = DIRS * PER_DIR + 1 - HELD;
            for (int i = 0; i < 500 && mount.session().heldFilesDropped() < pushedOut; i++) {
                Thread.sleep(10); // the notifications go from a thread of their own
            }
            assertEquals(pushedOut, mount.session().heldFilesDropped(), "entries the kernel held and dropped");

            assertEquals(expected, FindSizes.of(point), "every file looked up again");
            Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
            if (Files.isWritable(dropCaches)) { // the entries held are then of directories forgotten
                Files.writeString(dropCaches, "2");
                assertEquals(expected, FindSizes.of(point), "after the kernel forgot what it held");
            }
            ByteBuffer content = ByteBuffer.allocate(1000);
            assertEquals(499, open.read(content, 0), "a file open while its entry was dropped");
        } finally {
            mount.unmount();
            mount.awaitUnmount();
        }
    }
}
