package org.barecat.fuse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountOptionsTest {
    private static String joined(String... lists) {
        return MountOptions.parse(List.of(lists)).fuseArguments("/data/a.barecat").get(1);
    }

    @Test
    void alwaysReadOnlyWithStableInodesAndLongCacheLifetimes() {
        assertEquals("fsname=/data/a.barecat,ro,use_ino,subtype=barecat,kernel_cache,entry_timeout=86400,"
                + "attr_timeout=86400,negative_timeout=86400", joined());
    }

    @Test
    void userOptionsOverrideDefaultsAndPassThrough() {
        String o = joined("allow_other,uid=1000", "attr_timeout=5", "default_permissions");
        assertTrue(o.contains(",attr_timeout=5,"), o);
        assertTrue(o.endsWith(",allow_other,uid=1000,default_permissions"), o);
    }

    @Test
    void threadsIsOursAndBounded() {
        assertEquals(MountOptions.DEFAULT_THREADS, MountOptions.parse(List.of()).threads());
        MountOptions o = MountOptions.parse(List.of("threads=64,allow_other"));
        assertEquals(64, o.threads());
        assertTrue(!o.fuseArguments("a").get(1).contains("threads"), "not passed to FUSE");
        for (String bad : List.of("threads=0", "threads=x", "threads", "threads=100000")) {
            assertEquals("option '" + bad + "': a number of threads from 1 to 1024",
                    assertThrows(IllegalArgumentException.class, () -> joined(bad)).getMessage());
        }
    }

    @Test
    void escapesCommasInTheArchiveName() {
        assertEquals("-o", MountOptions.parse(List.of()).fuseArguments("a,b").get(0));
        assertTrue(MountOptions.parse(List.of()).fuseArguments("/x/a,b\\c").get(1).startsWith("fsname=/x/a\\,b\\\\c,"));
    }

    @Test
    void refusesWritableAndUnknownOptionsWithOneLine() {
        assertEquals("option 'rw': a Barecat mount is read-only",
                assertThrows(IllegalArgumentException.class, () -> joined("rw")).getMessage());
        assertEquals("option 'alow_other': not a FUSE or barecat-mount option (see barecat-mount --help)",
                assertThrows(IllegalArgumentException.class, () -> joined("alow_other")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> joined("uid"));
        assertThrows(IllegalArgumentException.class, () -> joined("allow_other=1"));
    }

    @Test
    void replySettingsAreTheTimeoutsAndOwnershipLibfuseIsGiven() {
        assertEquals(new MountOptions.ReplySettings(86400, 86400, 86400, null, null, null),
                MountOptions.parse(List.of()).replySettings());
        assertEquals(new MountOptions.ReplySettings(0.5, 0, 86400, 1234L, 0L, 027),
                MountOptions.parse(List.of("entry_timeout=0.5,attr_timeout=0,uid=1234,gid=0,umask=027")).replySettings());
        for (String bad : List.of("entry_timeout=x", "attr_timeout=-1", "negative_timeout")) {
            assertEquals("option '" + bad + "': a number of seconds, 0 or more",
                    assertThrows(IllegalArgumentException.class, () -> joined(bad)).getMessage());
        }
        assertEquals("option 'uid=root': a number from 0 to 4294967295",
                assertThrows(IllegalArgumentException.class, () -> joined("uid=root")).getMessage());
        assertEquals("option 'umask=9': octal permission bits",
                assertThrows(IllegalArgumentException.class, () -> joined("umask=9")).getMessage());
    }
}
