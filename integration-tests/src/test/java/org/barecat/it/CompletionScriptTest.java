package org.barecat.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code barecat completion-script bash} prints where the completion script is, for {@code source $(...)}. */
class CompletionScriptTest {
    @TempDir
    Path tmp;

    @Test
    void completionScriptPrintsWhereTheScriptIsAsTheOriginal() throws IOException {
        String path = Launchers.barecat("completion-script", "bash").ok().out().trim();
        assertTrue(Files.readString(Path.of(path)).contains("complete -F _complete_barecat"), path);
        Programs.sh(tmp, "source \"$(" + Launchers.bin("barecat") + " completion-script bash)\"; complete -p barecat")
                .ok();
        assertEquals(2, Launchers.barecat("completion-script", "fish").exit());
    }
}
