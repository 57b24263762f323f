package org.barecat.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original's older command names, run from bin/ as a script of theirs would run them. */
class LegacyLaunchersTest {
    @TempDir
    Path tmp;

    @Test
    void oldScriptsRunUnchanged() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/cats"));
        Files.writeString(src.resolve("1.jpg"), "one");
        Files.writeString(src.resolve("2.jpg"), "two");
        String bin = Launchers.bin("barecat").getParent().toString();

        Programs.Result r = Programs.sh(tmp, "cd src && find . -type f | sort | " + bin + "/barecat-create --file ../a.barecat"
                + " --shard=1G");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("barecat-create is deprecated, use 'barecat create -T -' instead\n", r.stderr());
        assertEquals("one", Programs.sh(tmp, bin + "/barecat-extract-single --barecat-file a.barecat --path cats/1.jpg")
                .ok().out());

        r = Programs.sh(tmp, bin + "/barecat-verify a.barecat");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.out(), "silent when all is well, as the original");

        Programs.sh(tmp, bin + "/barecat-create-recursive --file r.barecat src --overwrite").ok();
        assertEquals("cats/1.jpg\ncats/2.jpg\n", Launchers.barecat("find", tmp.resolve("r.barecat").toString(),
                "-type", "f").ok().out());

        Programs.sh(tmp, bin + "/barecat2archive a.barecat a.tar && " + bin + "/archive2barecat a.tar b.barecat").ok();
        Programs.sh(tmp, bin + "/barecat-merge --output m.barecat --ignore a.barecat b.barecat").ok();
        assertEquals("cats/1.jpg\ncats/2.jpg\n", Launchers.barecat("find", tmp.resolve("m.barecat").toString(),
                "-type", "f").ok().out());
        assertTrue(Programs.sh(tmp, bin + "/barecat-index-to-csv m.barecat").ok().out()
                .startsWith("\"path\",\"shard\",\"offset\",\"size\",\"crc32c\"\r\n\"cats/1.jpg\",0,"));
        Programs.sh(tmp, bin + "/barecat-extract --file m.barecat --target-directory out").ok();
        assertEquals("two", Files.readString(tmp.resolve("out/cats/2.jpg")));
        r = Programs.sh(tmp, bin + "/barecat-defrag m.barecat");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.out());
    }
}
