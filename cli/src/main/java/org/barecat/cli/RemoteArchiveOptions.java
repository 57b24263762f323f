package org.barecat.cli;

import org.barecat.remote.RemoteOptions;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Map;

/** The {@code -o} options of an archive given by URL ({@link RemoteOptions#KEYS}), checked. */
final class RemoteArchiveOptions {
    private RemoteArchiveOptions() {
    }

    /**
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static RemoteOptions parse(Map<String, String> given) {
        RemoteOptions d = RemoteOptions.defaults();
        return new RemoteOptions(valued(given, "endpoint", d.endpoint()), valued(given, "region", d.region()),
                valued(given, "profile", d.profile()), flag(given, "path_style"),
                given.containsKey("cache_dir") ? Path.of(valued(given, "cache_dir", null)).toAbsolutePath() : d.cacheDir(),
                given.containsKey("cache_size") ? size(valued(given, "cache_size", null)) : d.cacheSize());
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

    private static long size(String value) {
        try {
            return new SizeConverter().convert(value);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException("option 'cache_size=" + value + "': " + e.getMessage());
        }
    }
}
