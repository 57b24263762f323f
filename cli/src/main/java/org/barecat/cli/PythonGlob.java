package org.barecat.cli;

import java.util.regex.Pattern;

/**
 * The original's glob over whole archive paths (its copy of Python 3.13's {@code glob.translate}, as
 * {@code ls} uses it): {@code *}, {@code ?} and {@code [...]} stay inside one component, {@code **}
 * as a whole component matches any number of components when {@code recursive}, and a wildcard does
 * not match a name that starts with a dot unless {@code includeHidden}.
 */
final class PythonGlob {
    private PythonGlob() {
    }

    static Pattern compile(String pattern, boolean recursive, boolean includeHidden) {
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
                if (!last) {
                    if (!parts[i + 1].equals("**")) {
                        re.append(any);
                    }
                } else {
                    re.append(anyLast);
                }
            } else {
                if (!part.isEmpty()) {
                    if (!includeHidden && (part.charAt(0) == '*' || part.charAt(0) == '?')) {
                        re.append("(?!\\.)");
                    }
                    translate(part, re);
                }
                if (!last) {
                    re.append('/');
                }
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** How many leading components of a pattern (split at {@code /}) hold no wildcard, the last not counted. */
    static int literalComponents(String[] parts) {
        int fixed = 0;
        while (fixed < parts.length - 1 && !parts[fixed].matches(".*[*?\\[].*")) {
            fixed++;
        }
        return fixed;
    }

    /** fnmatch's translation of one component: {@code *} and {@code ?} do not cross {@code /}. */
    private static void translate(String p, StringBuilder re) {
        int n = p.length();
        for (int i = 0; i < n; ) {
            char c = p.charAt(i++);
            if (c == '*') {
                while (i < n && p.charAt(i) == '*') {
                    i++;
                }
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int j = i;
                if (j < n && p.charAt(j) == '!') {
                    j++;
                }
                if (j < n && p.charAt(j) == ']') {
                    j++;
                }
                while (j < n && p.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String set = p.substring(i, j);
                    i = j + 1;
                    re.append('[');
                    int k = 0;
                    if (set.startsWith("!")) {
                        re.append('^');
                        k = 1;
                    }
                    for (; k < set.length(); k++) {
                        char s = set.charAt(k);
                        re.append(s == '\\' || s == '[' || s == ']' || s == '&' || s == '^' ? "\\" + s : String.valueOf(s));
                    }
                    re.append(']');
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
    }
}
