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

    @Test
    void pythonFlavourMatchesAsGlobTranslateOfPython313() {
        // as glob.translate of Python 3.13 (the sets as fnmatch.translate of Python 3.11, checked)
        assertTrue(Glob.python("*.jpg", true, false).matches("a.jpg"));
        assertFalse(Glob.python("*.jpg", true, false).matches(".a.jpg"));
        assertFalse(Glob.python("*.jpg", true, false).matches("d/a.jpg"));
        assertTrue(Glob.python("**/*.jpg", true, false).matches("a.jpg"));
        assertTrue(Glob.python("**/*.jpg", true, false).matches("d/e/a.jpg"));
        assertFalse(Glob.python("**/*.jpg", true, false).matches("d/.e/a.jpg"));
        assertFalse(Glob.python("**/*.jpg", false, false).matches("d/e/a.jpg"));
        assertTrue(Glob.python("a**b", true, false).matches("axxb"));
        assertFalse(Glob.python("a**b", true, false).matches("ax/xb"));
        assertTrue(Glob.python("[^a]b", true, false).matches("^b"));
        assertFalse(Glob.python("[^a]b", true, false).matches("cb"));
        assertTrue(Glob.python("[!a]b", true, false).matches("cb"));
        assertTrue(Glob.python("d/**", true, true).matches("d/.e/f"));
    }

    @Test
    void aRangeWithItsEndsReversedMatchesNothingInsteadOfFailing() {
        assertFalse(Glob.compile("[z-a]").matches("m"));
        assertTrue(Glob.compile("[z-ax]").matches("x"));
        assertTrue(Glob.compile("[!z-a]").matches("m"));
        assertFalse(Glob.python("[z-a]", true, false).matches("m"));
    }
}
