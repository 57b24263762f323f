package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.core.FileEntry;
import org.barecat.testing.ClassResource;
import org.barecat.testing.MountExtension;
import org.barecat.testing.TreeBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files named by node ids made of their rows ({@link Nodes}), nothing held for them, on real mounts
 * in this JVM: sizes, bytes and extended attributes come out right, again when the kernel asks for
 * attributes each time ({@code attr_timeout=0}), after it forgot every entry (the FORGETs then mix
 * file and directory nodes), and through a file open across that; and with {@code verify}, where
 * each open gets a handle.
 */
class FileNodesTest {
    @RegisterExtension
    final MountExtension mounts = new MountExtension();
    private static final int DIRS = 3;
    private static final int PER_DIR = 300;
    private static String expected;
    @RegisterExtension
    static final ClassResource<Archive> archive = new ClassResource<>(dir -> {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "FUSE");
        Path path = dir.resolve("n.barecat");
        StringBuilder lines = new StringBuilder();
        try (TreeBuilder w = TreeBuilder.archive(path)) {
            for (int d = 0; d < DIRS; d++) {
                lines.append(FindSizes.addSized(w, "d" + d + "/f%03d", PER_DIR));
            }
        }
        expected = lines.toString();
        Archive opened = Archive.open(path);
        assertTrue(opened.hasFileRows());
        return opened;
    });

    @Test
    void filesShowAndReadThroughTheirRows() throws Exception {
        check("attr_timeout=0");
    }

    @Test
    void filesOpenWithHandlesUnderVerify() throws Exception {
        check("verify");
    }

    @Test
    void filesAndDirectoriesTakeTheUidGidAndUmaskOptions() throws Exception {
        FuseMount mount = TestMounts.mount(mounts, archive.get(), "uid=1234,gid=5678,umask=0227");
        Path point = mount.mountPoint();
        for (String path : List.of("d0/f007", "d0")) {
            Path p = point.resolve(path);
            assertEquals(1234, Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS), path);
            assertEquals(5678, Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS), path);
            // the stored 0644 and 0755 less the umask's bits: never a bit added
            assertEquals(path.equals("d0") ? 0550 : 0440,
                    (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777, path);
        }
        assertTrue(mount.fs().nodesHeld() <= 1 + DIRS, "files are named by their rows: none held");
    }

    @Test
    void filesShowAndReadAfterTheKernelForgotEveryEntryItHeld() throws Exception {
        Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
        assumeTrue(Files.isWritable(dropCaches), "root, to have the kernel forget its dentries and inodes");
        FuseMount mount = TestMounts.mount(mounts, archive.get());
        Path point = mount.mountPoint();
        try (FileChannel open = FileChannel.open(point.resolve("d1/f299"))) {
            assertEquals(expected, FindSizes.of(point));
            Files.writeString(dropCaches, "2"); // the FORGETs that follow mix file and directory nodes
            assertEquals(expected, FindSizes.of(point), "after the kernel forgot what it held");
            assertEquals(299, open.read(ByteBuffer.allocate(1000), 0), "a file open while the kernel forgot its entry");
            for (int i = 0; i < 500 && mount.fs().nodesHeld() > 1 + DIRS; i++) {
                Thread.sleep(10);
            }
            assertTrue(mount.fs().nodesHeld() <= 1 + DIRS, "nodes held: " + mount.fs().nodesHeld());
        }
    }

    private void check(String options) throws Exception {
        FuseMount mount = TestMounts.mount(mounts, archive.get(), options);
        Path point = mount.mountPoint();
        try (FileChannel open = FileChannel.open(point.resolve("d1/f299"))) {
            assertEquals(expected, FindSizes.of(point));
            assertTrue(mount.fs().nodesHeld() <= 1 + DIRS, "files are named by their rows, held at no"
                    + " cost: " + mount.fs().nodesHeld() + " nodes held");
            assertEquals(expected, FindSizes.of(point), "again");
            ByteBuffer content = ByteBuffer.allocate(1000);
            assertEquals(299, open.read(content, 0), "a file open while the kernel forgot its entry");
            assertEquals(-1, open.read(ByteBuffer.allocate(10), 299), "at its end");

            FileEntry row = (FileEntry) archive.get().lookup("d2/f123").orElseThrow();
            Path file = point.resolve("d2/f123");
            assertEquals(123, Files.readAllBytes(file).length);
            UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            assertEquals(List.of("barecat.crc32c", "barecat.shard", "barecat.offset"), xattrs.list());
            ByteBuffer crc = ByteBuffer.allocate(64);
            xattrs.read("barecat.crc32c", crc);
            assertEquals(String.format("%08x", row.crc32c()), new String(crc.array(), 0, crc.position(), StandardCharsets.UTF_8));
            assertThrows(FileSystemException.class, () -> xattrs.read("barecat.nothing", ByteBuffer.allocate(64)));
            assertThrows(NoSuchFileException.class, () -> Files.size(point.resolve("d2/nothing")));
            assertThrows(FileSystemException.class, () -> Files.newOutputStream(file));
            assertTrue(Files.getFileStore(file).getTotalSpace() > 0, "statfs of a file");
        }
    }
}
