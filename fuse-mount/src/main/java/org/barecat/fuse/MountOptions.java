package org.barecat.fuse;

import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options for a mount: the {@code -o} lists a user gives, on top of defaults suited to an immutable
 * archive (read-only, stable inode numbers, long kernel cache lifetimes). Each option is applied in
 * one place: the kernel's and fusermount's at mount time ({@link #mountOptions}), the protocol's at
 * INIT ({@link #sessionSettings}), and the rest by the file system ({@link #timeouts},
 * {@link #overrides}, {@code verify}, {@code threads}).
 */
public final class MountOptions {
    /** Seconds the kernel may keep entries, attributes and negative lookups: the archive never changes. */
    static final double CACHE_SECONDS = 86400;

    /** Mount options of the kernel and fusermount, passed on as given (flags). */
    private static final Set<String> MOUNT_FLAGS = Set.of("allow_other", "allow_root", "auto_unmount", "nonempty",
            "default_permissions", "suid", "nosuid", "dev", "nodev", "exec", "noexec", "async", "sync", "atime",
            "noatime", "dirsync");
    /** Mount options of the kernel and fusermount that take a value. */
    private static final Set<String> MOUNT_VALUED = Set.of("fsname", "max_read", "context", "fscontext", "defcontext",
            "rootcontext");
    /** What every mount is anyway: accepted, and nothing to do. */
    private static final Set<String> ALWAYS = Set.of("ro", "use_ino", "kernel_cache");

    /** Requests served at once by default: more than a DataLoader's usual workers times their readahead. */
    static final int DEFAULT_THREADS = 16;
    static final int MAX_THREADS = 1024;

    private final Map<String, String> mount = new LinkedHashMap<>();
    private double entrySeconds = CACHE_SECONDS;
    private double attrSeconds = CACHE_SECONDS;
    private double negativeSeconds = CACHE_SECONDS;
    private Long uid;
    private Long gid;
    private Integer umask;
    private int maxReadahead;
    private int maxBackground;
    private int maxMinor = Abi.MINOR;
    private boolean readdirPlus;
    private boolean verify;
    private boolean directIo;
    private boolean subdirs;
    private boolean refuseConflicts;
    private int threads = DEFAULT_THREADS;
    /** Options of another layer (where the archive is read from), as given: see {@link #parse(List, Set)}. */
    private final Map<String, String> others = new LinkedHashMap<>();
    private final Set<String> otherKeys;

    private MountOptions(Set<String> otherKeys) {
        this.otherKeys = otherKeys;
    }

    /**
     * Parses comma-separated {@code -o} lists ({@code allow_other,uid=1000,attr_timeout=60}); later
     * values win. {@code rw} is refused: the filesystem is read-only.
     *
     * @throws IllegalArgumentException for an option that cannot apply, with a message naming it
     */
    public static MountOptions parse(List<String> optionLists) {
        return parse(optionLists, Set.of());
    }

    /**
     * {@link #parse(List)}, keeping the options whose key is in {@code otherKeys} for another layer
     * to apply ({@link #others}): those of a remote archive ({@code endpoint=}, {@code cache_dir=}, ...).
     */
    public static MountOptions parse(List<String> optionLists, Set<String> otherKeys) {
        MountOptions options = new MountOptions(otherKeys);
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
        if (otherKeys.contains(key)) {
            others.put(key, value);
            return;
        }
        switch (key) {
            case "rw" -> throw new IllegalArgumentException("option 'rw': a Barecat mount is read-only");
            case "verify" -> verify = flag(key, value);
            case "direct_io" -> directIo = flag(key, value);
            case "subdirs" -> subdirs = flag(key, value);
            case "conflicts" -> refuseConflicts = parseConflicts(value);
            case "threads" -> threads = parseInt(key, value, 1, MAX_THREADS, "a number of threads from 1 to " + MAX_THREADS);
            case "readdirplus" -> readdirPlus = parseSwitch(key, value);
            case "max_protocol" -> maxMinor = parseProtocol(value);
            case "entry_timeout" -> entrySeconds = parseSeconds(key, value);
            case "attr_timeout" -> attrSeconds = parseSeconds(key, value);
            case "negative_timeout" -> negativeSeconds = parseSeconds(key, value);
            case "uid" -> uid = parseId(key, value);
            case "gid" -> gid = parseId(key, value);
            case "umask" -> umask = (int) parseLong(key, value, 8, 07777, "octal permission bits");
            case "max_readahead" -> maxReadahead = parseInt(key, value, 0, Integer.MAX_VALUE, "a number of bytes");
            case "max_background" -> maxBackground = parseInt(key, value, 1, 65535, "a number of requests from 1 to 65535");
            default -> {
                if (ALWAYS.contains(key) && value == null) {
                    return;
                }
                if (value == null ? !MOUNT_FLAGS.contains(key) : !MOUNT_VALUED.contains(key)) {
                    throw new IllegalArgumentException("option '" + key + (value == null ? "" : "=" + value)
                            + "': not a barecat-mount option (see barecat-mount --help)");
                }
                mount.put(key, value);
            }
        }
    }

    /** {@code conflicts=error}: refuse to mount archives that share a path; {@code conflicts=last}: the last one wins it. */
    private static boolean parseConflicts(String value) {
        if ("error".equals(value) || "last".equals(value)) {
            return value.equals("error");
        }
        throw bad("conflicts", value, "'error' or 'last'");
    }

    private static boolean flag(String key, String value) {
        if (value != null) {
            throw new IllegalArgumentException("option '" + key + "=" + value + "': takes no value");
        }
        return true;
    }

    private static boolean parseSwitch(String key, String value) {
        if (value == null || value.equals("yes")) {
            return true;
        }
        if (value.equals("no")) {
            return false;
        }
        throw new IllegalArgumentException("option '" + key + "=" + value + "': yes or no");
    }

    /** {@code 7.N}: the newest FUSE protocol to agree to, to behave as on an older kernel. */
    private static int parseProtocol(String value) {
        try {
            if (value != null && value.startsWith(Abi.MAJOR + ".")) {
                int minor = Integer.parseInt(value.substring(2));
                if (minor >= Abi.OLDEST_MINOR && minor <= Abi.MINOR) {
                    return minor;
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("option 'max_protocol" + (value == null ? "" : "=" + value)
                + "': a FUSE protocol version from 7." + Abi.OLDEST_MINOR + " to 7." + Abi.MINOR);
    }

    private static long parseId(String key, String value) {
        return parseLong(key, value, 10, 0xffffffffL, "a number from 0 to 4294967295");
    }

    private static int parseInt(String key, String value, int min, int max, String what) {
        long n = parseLong(key, value, 10, max, what);
        if (n < min) {
            throw bad(key, value, what);
        }
        return (int) n;
    }

    private static long parseLong(String key, String value, int radix, long max, String what) {
        try {
            long n = Long.parseLong(value == null ? "" : value, radix);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(key, value, what);
    }

    /** A timeout option's value: a number of seconds, 0 or more. */
    private static double parseSeconds(String key, String value) {
        try {
            double seconds = Double.parseDouble(value == null ? "" : value);
            if (seconds >= 0 && seconds < 1e15) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(key, value, "a number of seconds, 0 or more");
    }

    private static IllegalArgumentException bad(String key, String value, String what) {
        return new IllegalArgumentException("option '" + key + (value == null ? "" : "=" + value) + "': " + what);
    }

    /** The options of {@code otherKeys} given, key to value (null for a flag), later values winning. */
    public Map<String, String> others() {
        return others;
    }

    /** How many requests the daemon serves at once ({@code -o threads=N}). */
    public int threads() {
        return threads;
    }

    /** Whether the user allowed mounting over a non-empty directory. */
    public boolean nonempty() {
        return mount.containsKey("nonempty");
    }

    /** {@code allow_other} or {@code allow_root} when given (sharing the mount with other users), else null. */
    String sharing() {
        return mount.containsKey("allow_other") ? "allow_other" : mount.containsKey("allow_root") ? "allow_root" : null;
    }

    /** Whether several archives are each shown under their own name ({@code -o subdirs}), not merged. */
    public boolean subdirs() {
        return subdirs;
    }

    /** Whether archives that share a path (not both as directories) are refused ({@code -o conflicts=error}). */
    public boolean refuseConflicts() {
        return refuseConflicts;
    }

    /** Whether reads check each file's CRC-32C ({@code -o verify}). */
    public boolean verify() {
        return verify;
    }

    /**
     * The mount options for the kernel and fusermount: read-only, named after {@code archive} (unless
     * {@code fsname} is given), and those of the user's that are theirs.
     */
    String mountOptions(String archive) {
        StringBuilder joined = new StringBuilder("ro,subtype=barecat,fsname=")
                .append(escape(mount.getOrDefault("fsname", archive)));
        mount.forEach((k, v) -> {
            if (!k.equals("fsname")) {
                joined.append(',').append(k).append(v == null ? "" : "=" + escape(v));
            }
        });
        return joined.toString();
    }

    /** What INIT asks of the kernel. */
    Session.Settings sessionSettings() {
        return new Session.Settings(maxMinor, readdirPlus, maxReadahead, maxBackground);
    }

    /** How long the kernel may keep names, attributes and negative lookups. */
    ArchiveFilesystem.Timeouts timeouts() {
        return new ArchiveFilesystem.Timeouts(entrySeconds, attrSeconds, negativeSeconds);
    }

    /** Whether reads bypass the kernel's page cache ({@code -o direct_io}): every read reaches the daemon. */
    boolean directIo() {
        return directIo;
    }

    /**
     * The {@code uid}, {@code gid} and {@code umask} options, each null when not given: every entry
     * shows that owner and group, and its stored permission bits less those of the umask. A umask
     * only ever takes bits away: a 0600 file stays 0600 under {@code umask=022}.
     */
    public record Overrides(Long uid, Long gid, Integer umask) {
        static final Overrides NONE = new Overrides(null, null, null);

        /** {@code mode} (type and permission bits) as shown. */
        int mode(int mode) {
            return umask == null ? mode : mode & ~umask;
        }

        long uid(long stored) {
            return uid == null ? stored : uid;
        }

        long gid(long stored) {
            return gid == null ? stored : gid;
        }
    }

    /** The {@link Overrides} of these options. */
    public Overrides overrides() {
        return new Overrides(uid, gid, umask);
    }

    /** Escapes the characters libfuse's option parser treats specially. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,");
    }
}
