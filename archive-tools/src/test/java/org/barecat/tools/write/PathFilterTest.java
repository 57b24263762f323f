package org.barecat.tools.write;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathFilterTest {
    @Test
    void filtersMatchLikeTar() {
        PathFilter f = PathFilter.of(List.of("*.tmp", "cache", "x/y"), List.of());
        assertTrue(f.excludes("deep/down/f.tmp"));
        assertTrue(f.excludes("a/cache"));
        assertTrue(f.excludes("x/y"));
        assertFalse(f.excludes("z/x/y"));
        PathFilter inc = PathFilter.of(List.of(), List.of("*.jpg", "keep"));
        assertTrue(inc.includesFile("a/b.jpg"));
        assertTrue(inc.includesFile("keep/any/thing.txt"));
        assertFalse(inc.includesFile("a/b.png"));
    }
}
