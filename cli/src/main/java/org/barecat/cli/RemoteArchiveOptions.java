package org.barecat.cli;

import org.barecat.core.Archive;
import org.barecat.core.ArchiveUnion;
import org.barecat.core.ArchiveView;
import org.barecat.remote.RemoteArchive;
import org.barecat.remote.RemoteArchives;
import org.barecat.remote.RemoteOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of an archive given by URL ({@link RemoteOptions#KEYS}): parsed from the mount's
 * {@code -o}, and, as a picocli mixin, the {@code -o} of the commands that read an archive. Every
 * command opens its archive, local or remote, through {@link #open(String, RemoteOptions)}.
 */
final class RemoteArchiveOptions {
    @Option(names = {"-o", "--remote-option"}, split = ",", paramLabel = "KEY[=VALUE]",
            description = "for an ARCHIVE given by URL (s3://BUCKET/KEY, https://HOST/PATH, http://HOST/PATH), as"
                    + " barecat-mount's -o: endpoint=URL, region=, profile= (S3; else as AWS's tools find them),"
                    + " path_style (S3), anonymous (S3: unsigned requests, for a public bucket), cache_dir=DIR (default $XDG_CACHE_HOME/barecat), cache_size=SIZE"
                    + " (default 10G), prefetch (fetch each shard whole once it is first read); comma-separated or repeated")
    List<String> given = new ArrayList<>();

    private static final String INDEX_TASK = "Fetching the index";

    /**
     * Opens the archive named {@code name}, a path or a URL, with the {@code -o} options given.
     *
     * @throws BadArgumentException when an option is wrong, or given for a local archive
     */
    Archive open(String name) throws IOException {
        return open(name, parsed(List.of(name)));
    }

    /**
     * For a command that reads the index or shards itself: the archive at URL {@code name}, found, its
     * index in the cache; null for a local path (which the caller opens).
     *
     * @throws BadArgumentException as {@link #open(String)}
     */
    RemoteArchive locate(String name) throws IOException {
        RemoteOptions options = parsed(List.of(name));
        if (!RemoteArchives.isUrl(name)) {
            return null;
        }
        try (Progress progress = new Progress(INDEX_TASK, false)) {
            return RemoteArchives.locate(name, options, progress.download());
        }
    }

    /**
     * The one way the commands and the mount open an archive, local or remote; a download of a remote
     * index shows a progress bar on a terminal.
     */
    static Archive open(String name, RemoteOptions options) throws IOException {
        if (!RemoteArchives.isUrl(name)) {
            return Archive.open(Path.of(name));
        }
        try (Progress progress = new Progress(INDEX_TASK, false)) {
            return RemoteArchives.open(name, options, progress.download());
        }
    }

    /**
     * Opens every archive of {@code names} as {@link #open(String, RemoteOptions)} does and makes them
     * what a mount or server reads ({@link ArchiveUnion#of}); on failure closes those it opened.
     *
     * @param conflictsOption the option that asked to refuse conflicts, named after a conflict's message; null: none asked
     */
    static ArchiveView openAll(List<String> names, RemoteOptions options, boolean subdirs, String conflictsOption)
            throws IOException {
        List<Archive> opened = new ArrayList<>();
        try {
            for (String name : names) {
                opened.add(open(name, options));
            }
            return ArchiveUnion.of(opened, subdirs, conflictsOption != null);
        } catch (ArchiveUnion.ConflictException e) {
            closeAll(opened, e);
            throw new IOException(e.getMessage() + " (" + conflictsOption + ")", e);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static void closeAll(List<Archive> archives, Exception failure) {
        for (Archive a : archives) {
            try {
                a.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** {@link #openAll} with this mixin's {@code -o}, for the URLs among {@code names}. */
    ArchiveView openAll(List<String> names, boolean subdirs, String conflictsOption) throws IOException {
        return openAll(names, parsed(names), subdirs, conflictsOption);
    }

    private RemoteOptions parsed(List<String> names) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String option : given) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            if (!RemoteOptions.KEYS.contains(key)) {
                throw new BadArgumentException("option '" + option + "': unknown (for an archive given by URL: "
                        + "endpoint=, region=, profile=, path_style, anonymous, cache_dir=, cache_size=, prefetch)");
            }
            options.put(key, eq < 0 ? null : option.substring(eq + 1));
        }
        requireUrl(names, options);
        try {
            return parse(options);
        } catch (IllegalArgumentException e) {
            throw new BadArgumentException(e.getMessage());
        }
    }

    /**
     * @throws BadArgumentException when {@code options} are given and none of {@code names} is a URL
     */
    static void requireUrl(List<String> names, Map<String, String> options) {
        if (names.stream().noneMatch(RemoteArchives::isUrl) && !options.isEmpty()) {
            throw new BadArgumentException("option '" + options.keySet().iterator().next()
                    + "': only for an archive given by URL (s3://, https://, http://)");
        }
    }

    /**
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static RemoteOptions parse(Map<String, String> given) {
        RemoteOptions d = RemoteOptions.defaults();
        return new RemoteOptions(valued(given, "endpoint", d.endpoint()), valued(given, "region", d.region()),
                valued(given, "profile", d.profile()), flag(given, "path_style"), anonymous(given),
                given.containsKey("cache_dir") ? Path.of(valued(given, "cache_dir", null)).toAbsolutePath() : d.cacheDir(),
                given.containsKey("cache_size") ? size(valued(given, "cache_size", null)) : d.cacheSize(),
                flag(given, "prefetch"));
    }

    private static String valued(Map<String, String> given, String key, String otherwise) {
        if (!given.containsKey(key)) {
            return otherwise;
        }
        String value = given.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("option '" + key + "': needs a value (" + key + "=...)");
        }
        return value;
    }

    private static boolean flag(Map<String, String> given, String key) {
        if (given.containsKey(key) && given.get(key) != null) {
            throw new IllegalArgumentException("option '" + key + "=" + given.get(key) + "': takes no value");
        }
        return given.containsKey(key);
    }

    private static boolean anonymous(Map<String, String> given) {
        if (flag(given, "anonymous") && given.containsKey("profile")) {
            throw new IllegalArgumentException("option 'anonymous': not with profile= (anonymous requests use no credentials)");
        }
        return given.containsKey("anonymous");
    }

    private static long size(String value) {
        try {
            return new SizeConverter().convert(value);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException("option 'cache_size=" + value + "': " + e.getMessage());
        }
    }
}
