package org.barecat.core;

import java.util.regex.Pattern;

/**
 * A shell-style wildcard pattern over archive paths: {@code *} and {@code ?} match within one path
 * component, {@code **} matches across components ({@code a/**}{@code /b} also matches {@code a/b}),
 * {@code [abc]}, {@code [a-z]} and {@code [!abc]} match one character of a set.
 */
public final class Glob {
    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    public static Glob compile(String pattern) {
        return new Glob(pattern, Pattern.compile(toRegex(pattern, false), Pattern.DOTALL));
    }

    /** A pattern in which {@code *} and {@code ?} also match {@code /}, as in find's {@code -path}. */
    public static Glob compileCrossingSlashes(String pattern) {
        return new Glob(pattern, Pattern.compile(toRegex(pattern, true), Pattern.DOTALL));
    }

    public boolean matches(CharSequence text) {
        return regex.matcher(text).matches();
    }

    /** Whether the pattern has a {@code /}: then it is meant for whole paths, not single names. */
    public boolean hasSlash() {
        return pattern.indexOf('/') >= 0;
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static String toRegex(String glob, boolean crossSlashes) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < n && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < n && glob.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append(crossSlashes ? ".*" : "[^/]*");
                    }
                }
                case '?' -> re.append(crossSlashes ? "." : "[^/]");
                case '[' -> i = charClass(glob, i, re);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Appends the class starting at {@code glob[open]} and returns the index of its {@code ]}. */
    private static int charClass(String glob, int open, StringBuilder re) {
        int i = open + 1;
        boolean negate = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
        if (negate) {
            i++;
        }
        int first = i;
        while (i < glob.length() && (glob.charAt(i) != ']' || i == first)) {
            i++;
        }
        if (i >= glob.length()) {
            re.append("\\[");
            return open;
        }
        StringBuilder set = new StringBuilder(negate ? "[^/" : "[");
        for (int k = first; k < i; k++) {
            char c = glob.charAt(k);
            if (c == '-' && k > first && k < i - 1) {
                set.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                set.append(c);
            } else {
                set.append('\\').append(c);
            }
        }
        re.append(set).append(']');
        return i;
    }
}
