package org.barecat.fuse;

/** The running Linux kernel's version, for FUSE features that depend on it. */
final class KernelVersion {
    private KernelVersion() {
    }

    /** Whether the kernel is at least {@code major.minor} (false when the version cannot be read). */
    static boolean atLeast(int major, int minor) {
        return atLeast(System.getProperty("os.version", ""), major, minor);
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
