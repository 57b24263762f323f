package org.barecat.fuse;

import org.barecat.core.Archive;
import org.barecat.testing.MountExtension;

import java.util.List;

/** Mounts of an archive in this JVM, made through a test's {@link MountExtension}, which unmounts them. */
final class TestMounts {
    private TestMounts() {
    }

    /** {@code archive} mounted with {@code options} (as after -o) on a fresh mountpoint, owned by root by default. */
    static FuseMount mount(MountExtension mounts, Archive archive, String... options) throws Exception {
        return mounts.mount(point -> FuseMount.mount(archive, point, MountOptions.parse(List.of(options)),
                new EntryDefaults(0, 0, 0), false), FuseMount::awaitUnmount);
    }
}
