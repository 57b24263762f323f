package org.barecat.fuse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options for a mount: the {@code -o} list a user gives, split into the ones this filesystem
 * reads itself and the ones passed on to FUSE, on top of defaults suited to an immutable archive
 * (read-only, stable inode numbers, long kernel cache lifetimes).
 */
public final class MountOptions {
    /** Seconds the kernel may keep entries, attributes and negative lookups: the archive never changes. */
    static final String CACHE_SECONDS = "86400";

    private final Map<String, String> fuse = new LinkedHashMap<>();
    private boolean nonempty;
    private boolean verify;

    private MountOptions() {
        fuse.put("ro", null);
        fuse.put("use_ino", null);
        fuse.put("subtype", "barecat");
        fuse.put("kernel_cache", null);
        fuse.put("entry_timeout", CACHE_SECONDS);
        fuse.put("attr_timeout", CACHE_SECONDS);
        fuse.put("negative_timeout", CACHE_SECONDS);
    }

    /**
     * Parses comma-separated {@code -o} lists ({@code allow_other,uid=1000,attr_timeout=60}); later
     * values win. {@code rw} is refused: the filesystem is read-only.
     *
     * @throws IllegalArgumentException for an option that cannot apply, with a message naming it
     */
    public static MountOptions parse(List<String> optionLists) {
        MountOptions options = new MountOptions();
        for (String list : optionLists) {
            for (String option : list.split(",")) {
                if (option.isBlank()) {
                    continue;
                }
                int eq = option.indexOf('=');
                String key = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? null : option.substring(eq + 1);
                options.set(key, value);
            }
        }
        return options;
    }

    private void set(String key, String value) {
        switch (key) {
            case "rw" -> throw new IllegalArgumentException("option 'rw': a Barecat mount is read-only");
            case "ro", "use_ino", "subtype" -> { /* always ours */ }
            case "verify" -> verify = true;
            case "nonempty" -> {
                nonempty = true;
                fuse.put(key, value);
            }
            default -> fuse.put(key, value);
        }
    }

    /** Whether the user allowed mounting over a non-empty directory. */
    public boolean nonempty() {
        return nonempty;
    }

    /** Whether reads check each file's CRC-32C ({@code -o verify}): ours, not passed to FUSE. */
    public boolean verify() {
        return verify;
    }

    /** The FUSE command-line arguments: {@code -o a,b=c,...}, with {@code fsname} naming the archive. */
    List<String> fuseArguments(String fsname) {
        StringBuilder joined = new StringBuilder("fsname=").append(escape(fsname));
        fuse.forEach((k, v) -> joined.append(',').append(k).append(v == null ? "" : "=" + escape(v)));
        List<String> args = new ArrayList<>();
        args.add("-o");
        args.add(joined.toString());
        return args;
    }

    /** Escapes the characters libfuse's option parser treats specially. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,");
    }
}
