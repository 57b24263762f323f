package org.barecat.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.barecat.testing.Bytes.bytes;

/** Trees that the tests of more than one module build, each into the builder given. */
public final class SampleTrees {
    private SampleTrees() {
    }

    /**
     * top.txt (9 bytes, with mode, owner and nanosecond mtime), a/b/c.bin (5 bytes), the empty
     * a/empty, and the empty directory a/emptydir (mode 0700): 3 files, 14 bytes, 4 directories.
     */
    public static TreeBuilder small(TreeBuilder b) throws IOException {
        return b.file("top.txt", bytes("123456789")).mode(0100640).owner(1000, 1001).mtimeNs(1_700_000_000_123_456_789L)
                .file("a/b/c.bin", bytes("hello"))
                .file("a/empty", new byte[0])
                .dir("a/emptydir").mode(0700);
    }

    /** a/one (10 bytes), a/b/two (6) and three (3), no metadata: in 16-byte shards, three starts the second. */
    public static TreeBuilder threeFiles(TreeBuilder b) throws IOException {
        return b.file("a/one", bytes("0123456789"))
                .file("a/b/two", bytes("abcdef"))
                .file("three", bytes("xyz"));
    }

    /**
     * Directories d0 to d{dirs-1} of {@code files} files each, f0 to f{files-1}, every {@code subEvery}-th of
     * them (f{subEvery-1}, f{2*subEvery-1}, ...) in the directory's subdirectory sub; a file's bytes are
     * {@code content} of its path. Returns the paths in the order added.
     */
    public static List<String> directories(TreeBuilder b, int dirs, int files, int subEvery,
                                           Function<String, byte[]> content) throws IOException {
        List<String> paths = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            for (int f = 0; f < files; f++) {
                String path = "d" + d + (f % subEvery == subEvery - 1 ? "/sub" : "") + "/f" + f;
                b.file(path, content.apply(path));
                paths.add(path);
            }
        }
        return paths;
    }
}
