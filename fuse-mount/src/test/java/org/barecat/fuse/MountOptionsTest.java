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
        assertTrue(o.endsWith(",allow_other,default_permissions"), o);
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
    void aUmaskOnlyTakesPermissionBitsAway() {
        MountOptions.Overrides o = MountOptions.parse(List.of("umask=022")).overrides();
        assertEquals(0100600, o.mode(0100600), "0600 stays 0600, and is never made executable");
        assertEquals(0100644, o.mode(0100666));
        assertEquals(0040755, o.mode(0040777));
        assertEquals(0100000, MountOptions.parse(List.of("umask=777")).overrides().mode(0100644));
        assertEquals(0100640, MountOptions.Overrides.NONE.mode(0100640));
        assertEquals(7, MountOptions.Overrides.NONE.uid(7));
        assertEquals(0, o.gid(0));
        assertEquals(5, MountOptions.parse(List.of("uid=5")).overrides().uid(1000));
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
    void replySettingsAreTheTimeoutsLibfuseIsGiven() {
        assertEquals(new MountOptions.ReplySettings(86400, 86400, 86400), MountOptions.parse(List.of()).replySettings());
        MountOptions o = MountOptions.parse(List.of("entry_timeout=0.5,attr_timeout=0,uid=1234,gid=0,umask=027"));
        assertEquals(new MountOptions.ReplySettings(0.5, 0, 86400), o.replySettings());
        assertEquals(new MountOptions.Overrides(1234L, 0L, 027), o.overrides());
        assertTrue(!o.fuseArguments("a").get(1).matches(".*(uid|gid|umask)=.*"), "applied here, not by libfuse");
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
