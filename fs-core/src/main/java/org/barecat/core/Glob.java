package org.barecat.core;

import java.util.regex.Pattern;

/**
 * A shell-style wildcard pattern over archive paths: {@code *} and {@code ?} match within one path
 * component, {@code **} matches across components ({@code a/**}{@code /b} also matches {@code a/b}),
 * {@code [abc]}, {@code [a-z]} and {@code [!abc]} match one character of a set. {@link #python} gives
 * the flavour the original Python barecat's {@code ls} uses; a drop-in must match each where it is used.
 */
public final class Glob {
    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, String regex) {
        this.pattern = pattern;
        this.regex = Pattern.compile(regex, Pattern.DOTALL);
    }

    public static Glob compile(String pattern) {
        return new Glob(pattern, toRegex(pattern, false));
    }

    /** A pattern in which {@code *} and {@code ?} also match {@code /}, as in find's {@code -path}. */
    public static Glob compileCrossingSlashes(String pattern) {
        return new Glob(pattern, toRegex(pattern, true));
    }

    /**
     * Python 3.13's {@code glob.translate}, which the original's {@code ls} uses: {@code **} is special
     * only as a whole component and only when {@code recursive}, {@code [^...]} is no negation, and a
     * wildcard does not match a name that starts with a dot unless {@code includeHidden}.
     */
    public static Glob python(String pattern, boolean recursive, boolean includeHidden) {
        String notSep = "[^/]";
        String oneLast = includeHidden ? notSep + "+" : "[^/.]" + notSep + "*";
        String one = oneLast + "/";
        String any = includeHidden ? "(?:.+/)?" : "(?:" + one + ")*";
        String anyLast = includeHidden ? ".*" : any + "(?:" + oneLast + ")?";
        String[] parts = pattern.split("/", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals("*")) {
                re.append(last ? oneLast : one);
            } else if (recursive && part.equals("**")) {
                if (last) {
                    re.append(anyLast);
                } else if (!parts[i + 1].equals("**")) {
                    re.append(any);
                }
            } else {
                if (!part.isEmpty() && !includeHidden && (part.charAt(0) == '*' || part.charAt(0) == '?')) {
                    re.append("(?!\\.)");
                }
                translateComponent(part, re);
                if (!last) {
                    re.append('/');
                }
            }
        }
        return new Glob(pattern, re.toString());
    }

    /** How many leading components of a pattern split at {@code /} hold no wildcard, the last not counted. */
    public static int literalComponents(String[] components) {
        int fixed = 0;
        while (fixed < components.length - 1 && !components[fixed].matches(".*[*?\\[].*")) {
            fixed++;
        }
        return fixed;
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
                case '[' -> i = charClass(glob, i, re, true);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** fnmatch's translation of one component: any run of {@code *} and each {@code ?} stay inside it. */
    private static void translateComponent(String part, StringBuilder re) {
        int n = part.length();
        for (int i = 0; i < n; i++) {
            char c = part.charAt(i);
            if (c == '*') {
                while (i + 1 < n && part.charAt(i + 1) == '*') {
                    i++;
                }
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                i = charClass(part, i, re, false);
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
    }

    /**
     * Appends the class starting at {@code glob[open]} and returns the index of its {@code ]}; without
     * one, the {@code [} is literal. {@code !} negates, and so does {@code ^} in the shell flavour, whose
     * negated sets never match {@code /}. A range whose ends are reversed matches nothing, as in Python.
     */
    private static int charClass(String glob, int open, StringBuilder re, boolean shell) {
        int i = open + 1;
        boolean negate = i < glob.length() && (glob.charAt(i) == '!' || shell && glob.charAt(i) == '^');
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
        StringBuilder set = new StringBuilder();
        for (int k = first; k < i; k++) {
            char c = glob.charAt(k);
            if (k + 2 < i && glob.charAt(k + 1) == '-') {
                char to = glob.charAt(k + 2);
                if (c <= to) {
                    set.append(literal(c)).append('-').append(literal(to));
                }
                k += 2;
            } else {
                set.append(literal(c));
            }
        }
        if (set.length() == 0) {
            re.append(negate ? (shell ? "[^/]" : ".") : "(?!)");
        } else {
            re.append(negate ? (shell ? "[^/" : "[^") : "[").append(set).append(']');
        }
        return i;
    }

    private static String literal(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }
}
