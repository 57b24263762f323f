package org.barecat.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobTest {
    @Test
    void globsMatchLikeTheShell() {
        assertTrue(Glob.compile("*.jpg").matches("a.jpg"));
        assertFalse(Glob.compile("*.jpg").matches("d/a.jpg"));
        assertTrue(Glob.compile("**/*.jpg").matches("d/e/a.jpg"));
        assertTrue(Glob.compile("**/*.jpg").matches("a.jpg"));
        assertTrue(Glob.compile("d/**").matches("d/e/f"));
        assertTrue(Glob.compile("[a-c]?.[!x]").matches("b1.y"));
        assertFalse(Glob.compile("[a-c]?.[!x]").matches("b1.x"));
        assertTrue(Glob.compile("a+b(c).txt").matches("a+b(c).txt"));
        assertTrue(Glob.compileCrossingSlashes("a*z").matches("a/b/z"));
    }
}
