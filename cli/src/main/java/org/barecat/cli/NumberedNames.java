package org.barecat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** lss's summary of numbered names, as the original groups them. */
final class NumberedNames {
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private NumberedNames() {
    }

    /** A name cut into text and digit runs: {@code frame_0001.jpg} is {@code frame_}, {@code 0001}, {@code .jpg}. */
    private record Chunks(String name, List<String> parts, List<Boolean> digits) {
        static Chunks of(String name) {
            List<String> parts = new ArrayList<>();
            List<Boolean> digits = new ArrayList<>();
            Matcher m = DIGITS.matcher(name);
            int end = 0;
            while (m.find()) {
                if (m.start() > end) {
                    parts.add(name.substring(end, m.start()));
                    digits.add(false);
                }
                parts.add(m.group());
                digits.add(true);
                end = m.end();
            }
            if (end < name.length()) {
                parts.add(name.substring(end));
                digits.add(false);
            }
            return new Chunks(name, parts, digits);
        }

        /** Names with the same shape: the same texts, digit runs of the same widths. */
        List<String> shape() {
            List<String> key = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                // "num" sorts before "text" as in the original's tuples; widths compare as numbers
                key.add(digits.get(i) ? "0" + String.format("%010d", parts.get(i).length()) : "1" + parts.get(i));
            }
            return key;
        }

        List<String> without(int position) {
            List<String> key = new ArrayList<>(parts);
            key.remove(position);
            return key;
        }
    }

    private static final Comparator<List<String>> LISTS = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = LsCommand.compareCodePoints(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /**
     * Prints sorted file names: five or more that differ only in their most varied digit run as
     * {@code frame_****.jpg  (1201 files, 0000–1200)}, the others one per line.
     */
    static void summarize(List<String> names, PrintWriter out) {
        Map<List<String>, List<Chunks>> shapes = new TreeMap<>(LISTS);
        for (String n : names) {
            Chunks c = Chunks.of(n);
            shapes.computeIfAbsent(c.shape(), k -> new ArrayList<>()).add(c);
        }
        for (List<Chunks> same : shapes.values()) {
            Chunks first = same.get(0);
            int varied = -1;
            long mostValues = 0;
            for (int i = 0; i < first.parts().size(); i++) {
                if (first.digits().get(i)) {
                    int position = i;
                    long values = same.stream().map(c -> c.parts().get(position)).distinct().count();
                    if (values > mostValues) {
                        mostValues = values;
                        varied = i;
                    }
                }
            }
            if (varied < 0 || same.size() < 5) {
                same.forEach(c -> out.println(c.name()));
                continue;
            }
            int position = varied;
            Map<List<String>, List<Chunks>> groups = new TreeMap<>(LISTS);
            for (Chunks c : same) {
                groups.computeIfAbsent(c.without(position), k -> new ArrayList<>()).add(c);
            }
            for (List<Chunks> group : groups.values()) {
                if (group.size() < 5) {
                    group.forEach(c -> out.println(c.name()));
                    continue;
                }
                List<String> values = group.stream().map(c -> c.parts().get(position)).sorted().toList();
                List<String> pattern = new ArrayList<>(group.get(0).parts());
                pattern.set(position, "*".repeat(values.get(0).length()));
                out.println(String.join("", pattern) + "  (" + group.size() + " files, " + values.get(0) + "–"
                        + values.get(values.size() - 1) + ")");
            }
        }
    }
}
