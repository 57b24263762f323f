package org.barecat.serve;

/**
 * The one byte range a {@code Range} header asks of a representation of {@code size} bytes
 * (RFC 9110, section 14): {@code bytes=FIRST-LAST}, {@code bytes=FIRST-}, {@code bytes=-SUFFIX}.
 *
 * @param first the first byte sent
 * @param last  the last byte sent (inclusive)
 */
record ByteRange(long first, long last) {
    /** What a Range header comes to. */
    sealed interface Outcome permits Whole, Part, Unsatisfiable {
    }

    /** Send the whole representation (no range, several ranges, or a header that does not parse: RFC 9110 lets a server ignore it). */
    record Whole() implements Outcome {
    }

    record Part(ByteRange range) implements Outcome {
    }

    /** None of the range lies within the representation: 416. */
    record Unsatisfiable() implements Outcome {
    }

    long length() {
        return last - first + 1;
    }

    static Outcome parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=")) {
            return new Whole();
        }
        String spec = header.substring("bytes=".length()).trim();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        try {
            String from = spec.substring(0, dash).trim();
            String to = spec.substring(dash + 1).trim();
            if (from.isEmpty()) { // the last N bytes
                long suffix = parseDigits(to);
                if (suffix == 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Part(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = parseDigits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : parseDigits(to);
            if (last < first) {
                return new Whole(); // invalid: ignored
            }
            if (first >= size) {
                return new Unsatisfiable();
            }
            return new Part(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }

    /** Digits only (no sign, no spaces), as the grammar says; overflowing ones count as the largest. */
    private static long parseDigits(String s) {
        if (s.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NumberFormatException(s);
            }
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
