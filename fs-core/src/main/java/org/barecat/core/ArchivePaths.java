package org.barecat.core;

import java.nio.charset.StandardCharsets;

/** Path rules of the format: {@code /}-separated, no leading {@code /}, the root is {@code ""}. */
public final class ArchivePaths {
    /** Longest file name component Linux accepts, in bytes. */
    public static final int NAME_MAX = 255;

    private ArchivePaths() {
    }

    /**
     * Turns a path as a user or the kernel writes it ({@code /a/b}, {@code a/b/}, {@code /})
     * into an archive path. Returns {@code null} for a path no archive entry can have
     * ({@code .}, {@code ..} or empty components after the first slash run).
     */
    public static String normalize(String path) {
        String p = withoutOuterSlashes(path);
        return p.isEmpty() || firstInvalidComponent(p) == null ? p : null;
    }

    /**
     * Why {@link #normalize} refuses {@code path}: "an empty component", "a '..' component", "a name
     * of 300 bytes, more than 255", ...; null when it does not.
     */
    public static String whyInvalid(String path) {
        String p = withoutOuterSlashes(path);
        String component = p.isEmpty() ? null : firstInvalidComponent(p);
        if (component == null) {
            return null;
        }
        if (component.isEmpty()) {
            return "an empty component";
        }
        if (component.equals(".") || component.equals("..")) {
            return "a '" + component + "' component";
        }
        if (component.indexOf('\0') >= 0) {
            return "a NUL character";
        }
        return "a name of " + component.getBytes(StandardCharsets.UTF_8).length + " bytes, more than " + NAME_MAX;
    }

    private static String withoutOuterSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** The first component of {@code p} (not empty, no outer slashes) that no entry can have as its name, or null. */
    private static String firstInvalidComponent(String p) {
        for (String component : p.split("/", -1)) {
            if (!isValidName(component)) {
                return component;
            }
        }
        return null;
    }

    /** Parent of an archive path ({@code ""} for a top-level entry); the root has none. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The path of {@code name} in directory {@code dir} ({@code ""}: the root). */
    public static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /**
     * Whether a file system could hold {@code path} as it is: relative (no leading {@code /}), not
     * empty, no empty, {@code .} or {@code ..} component, no NUL, no name over 255 bytes. Rows of a damaged
     * or hostile index may have other paths; extracting or exporting such a row must refuse it.
     */
    public static boolean isCanonical(String path) {
        if (path.isEmpty() || path.startsWith("/")) {
            return false;
        }
        return path.equals(normalize(path));
    }

    /** A directory entry name a POSIX file system can show: not empty, no slash or NUL, not . or .., at most 255 bytes. */
    public static boolean isValidName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            return false;
        }
        return name.length() <= NAME_MAX / 4 || name.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX;
    }
}
