package org.barecat.fuse;

import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options for a mount: the {@code -o} list a user gives, split into the ones this filesystem
 * reads itself and the ones passed on to FUSE, on top of defaults suited to an immutable archive
 * (read-only, stable inode numbers, long kernel cache lifetimes).
 */
public final class MountOptions {
    /** Seconds the kernel may keep entries, attributes and negative lookups: the archive never changes. */
    static final String CACHE_SECONDS = "86400";

    /**
     * Options libfuse 2.9 and the kernel accept (fuse_mount, the high-level library and mount
     * flags). Checked here so that a typo gets one clear line instead of libfuse's usage noise. Not
     * {@code splice_read}: {@link FuseSession} reads each request's header before libfuse does.
     */
    private static final Set<String> FUSE_FLAGS = Set.of("allow_other", "allow_root", "auto_unmount", "nonempty",
            "default_permissions", "large_read", "direct_io", "kernel_cache", "auto_cache", "noauto_cache",
            "readdir_ino", "hard_remove", "noforget", "nopath", "intr", "async_read", "sync_read",
            "atomic_o_trunc", "big_writes", "no_remote_lock", "no_remote_flock", "no_remote_posix_lock",
            "splice_write", "no_splice_write", "splice_move", "no_splice_move", "no_splice_read",
            "suid", "nosuid", "dev", "nodev", "exec", "noexec", "async", "sync", "atime", "noatime", "dirsync",
            "blkdev");
    private static final Set<String> FUSE_VALUED = Set.of("fsname", "uid", "gid", "umask", "entry_timeout",
            "attr_timeout", "negative_timeout", "ac_attr_timeout", "remember", "max_read", "max_write",
            "max_readahead", "max_background", "congestion_threshold", "blksize", "intr_signal", "modules",
            "context", "fscontext", "defcontext", "rootcontext");

    private final Map<String, String> fuse = new LinkedHashMap<>();
    /** {@code uid}, {@code gid} and {@code umask}: applied here to what entries show, not by libfuse (which replaces the mode). */
    private Long uid;
    private Long gid;
    private Integer umask;
    private boolean nonempty;
    private boolean verify;
    private int threads = DEFAULT_THREADS;
    private int maxMinor = Abi.MINOR;
    private boolean readdirPlus;

    /**
     * What the kernel and fusermount take at mount time, passed on as given: the rest of the options
     * are applied by the daemon itself.
     */
    private static final Set<String> MOUNT_OPTIONS = Set.of("allow_other", "allow_root", "auto_unmount", "nonempty",
            "default_permissions", "suid", "nosuid", "dev", "nodev", "exec", "noexec", "async", "sync", "atime",
            "noatime", "dirsync", "fsname", "max_read", "context", "fscontext", "defcontext", "rootcontext");

    /** Requests served at once by default: more than a DataLoader's usual workers times their readahead. */
    static final int DEFAULT_THREADS = 16;
    static final int MAX_THREADS = 1024;

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
            case "readdirplus" -> readdirPlus = parseSwitch(key, value);
            case "max_protocol" -> maxMinor = parseProtocol(value);
            case "threads" -> threads = parseThreads(value);
            case "entry_timeout", "attr_timeout", "negative_timeout" -> fuse.put(key, parseSeconds(key, value));
            case "uid" -> uid = Long.parseLong(parseNumber(key, value));
            case "gid" -> gid = Long.parseLong(parseNumber(key, value));
            case "umask" -> umask = Integer.parseInt(parseNumber(key, value), 8);
            case "nonempty" -> {
                nonempty = true;
                fuse.put(key, value);
            }
            default -> {
                if (value == null ? !FUSE_FLAGS.contains(key) : !FUSE_VALUED.contains(key)) {
                    throw new IllegalArgumentException("option '" + key + (value == null ? "" : "=" + value)
                            + "': not a FUSE or barecat-mount option (see barecat-mount --help)");
                }
                fuse.put(key, value);
            }
        }
    }

    /**
     * What libfuse's high-level layer applies to the replies it makes, for the replies made without it
     * ({@link FuseSession}): how long the kernel may keep entries, attributes and negative lookups, in
     * seconds.
     */
    record ReplySettings(double entrySeconds, double attrSeconds, double negativeSeconds) {
    }

    /** The {@link ReplySettings} of these options. */
    ReplySettings replySettings() {
        return new ReplySettings(Double.parseDouble(fuse.get("entry_timeout")), Double.parseDouble(fuse.get("attr_timeout")),
                Double.parseDouble(fuse.get("negative_timeout")));
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

    /** A uid, gid or umask option's value: a decimal id, or octal permission bits, as libfuse reads them. */
    private static String parseNumber(String key, String value) {
        boolean umask = key.equals("umask");
        try {
            long n = Long.parseLong(value == null ? "" : value, umask ? 8 : 10);
            if (n >= 0 && n <= (umask ? 07777 : 0xffffffffL)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("option '" + key + (value == null ? "" : "=" + value) + "': "
                + (umask ? "octal permission bits" : "a number from 0 to 4294967295"));
    }

    /** A timeout option's value: a number of seconds, 0 or more, as libfuse reads it. */
    private static String parseSeconds(String key, String value) {
        try {
            double seconds = Double.parseDouble(value == null ? "" : value);
            if (seconds >= 0 && seconds < 1e15) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("option '" + key + (value == null ? "" : "=" + value)
                + "': a number of seconds, 0 or more");
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

    private static int parseThreads(String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value);
            if (n >= 1 && n <= MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("option 'threads" + (value == null ? "" : "=" + value)
                + "': a number of threads from 1 to " + MAX_THREADS);
    }

    /** How many requests the daemon serves at once ({@code -o threads=N}): ours, not passed to FUSE. */
    public int threads() {
        return threads;
    }

    /** Whether the user allowed mounting over a non-empty directory. */
    public boolean nonempty() {
        return nonempty;
    }

    /** Whether reads check each file's CRC-32C ({@code -o verify}): ours, not passed to FUSE. */
    public boolean verify() {
        return verify;
    }

    /** The mount options for the kernel and fusermount: read-only, named after the archive, and those the user gave. */
    String mountOptions(String archive) {
        StringBuilder joined = new StringBuilder("ro,subtype=barecat,fsname=")
                .append(escape(fuse.getOrDefault("fsname", archive)));
        fuse.forEach((k, v) -> {
            if (MOUNT_OPTIONS.contains(k) && !k.equals("fsname")) {
                joined.append(',').append(k).append(v == null ? "" : "=" + escape(v));
            }
        });
        return joined.toString();
    }

    /** What INIT asks of the kernel. */
    Session.Settings sessionSettings() {
        return new Session.Settings(maxMinor, readdirPlus, intOption("max_readahead"), intOption("max_background"));
    }

    /** How long the kernel may keep names, attributes and negative lookups. */
    ArchiveFilesystem.Timeouts timeouts() {
        ReplySettings r = replySettings();
        return new ArchiveFilesystem.Timeouts(r.entrySeconds(), r.attrSeconds(), r.negativeSeconds());
    }

    private int intOption(String key) {
        String v = fuse.get(key);
        try {
            return v == null ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "=" + v + "': a number");
        }
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
