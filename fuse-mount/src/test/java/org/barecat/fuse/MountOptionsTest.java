package org.barecat.fuse;

import org.barecat.fuse.kernel.Abi;
import org.barecat.fuse.kernel.Session;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountOptionsTest {
    private static MountOptions parse(String... lists) {
        return MountOptions.parse(List.of(lists));
    }

    private static String mountOptions(String... lists) {
        return parse(lists).mountOptions("/data/a.barecat");
    }

    private static String refused(String list) {
        return assertThrows(IllegalArgumentException.class, () -> parse(list)).getMessage();
    }

    @Test
    void alwaysReadOnlyNamedAfterTheArchiveWithLongCacheLifetimes() {
        assertEquals("ro,subtype=barecat,fsname=/data/a.barecat", mountOptions());
        assertEquals(new ArchiveFilesystem.Timeouts(86400, 86400, 86400), parse().timeouts());
        assertEquals(new Session.Settings(Abi.MINOR, false, 0, 0), parse().sessionSettings());
        assertEquals("ro,subtype=barecat,fsname=/data/a.barecat", mountOptions("ro,use_ino,kernel_cache"), "always on");
    }

    @Test
    void eachOptionGoesWhereItIsApplied() {
        MountOptions o = parse("allow_other,uid=1000", "attr_timeout=5,default_permissions,max_read=131072",
                "max_readahead=1048576,max_background=64,readdirplus,max_protocol=7.27");
        assertEquals("ro,subtype=barecat,fsname=/data/a.barecat,allow_other,default_permissions,max_read=131072",
                o.mountOptions("/data/a.barecat"), "the kernel's and fusermount's");
        assertEquals(new Session.Settings(27, true, 1 << 20, 64), o.sessionSettings(), "INIT's");
        assertEquals(new ArchiveFilesystem.Timeouts(86400, 5, 86400), o.timeouts());
        assertEquals(new MountOptions.Overrides(1000L, null, null), o.overrides());
        assertEquals("ro,subtype=barecat,fsname=mine", parse("fsname=mine").mountOptions("/data/a.barecat"));
    }

    @Test
    void threadsIsOursAndBounded() {
        assertEquals(MountOptions.DEFAULT_THREADS, parse().threads());
        MountOptions o = parse("threads=64,allow_other");
        assertEquals(64, o.threads());
        assertTrue(parse("direct_io").directIo() && !parse().directIo());
        assertFalse(o.mountOptions("a").contains("threads"), "not passed to the kernel");
        for (String bad : List.of("threads=0", "threads=x", "threads", "threads=100000")) {
            assertEquals("option '" + bad + "': a number of threads from 1 to 1024", refused(bad));
        }
    }

    @Test
    void subdirsAndConflictsSayHowSeveralArchivesAreShown() {
        assertFalse(parse().subdirs() || parse().refuseConflicts(), "merged, the last archive winning a path");
        MountOptions o = parse("subdirs,conflicts=error");
        assertTrue(o.subdirs() && o.refuseConflicts());
        assertFalse(o.mountOptions("a").contains("subdirs") || o.mountOptions("a").contains("conflicts"));
        assertFalse(parse("conflicts=error,conflicts=last").refuseConflicts(), "the later value wins");
        assertEquals("option 'conflicts=first': 'error' or 'last'", refused("conflicts=first"));
        assertEquals("option 'subdirs=1': takes no value", refused("subdirs=1"));
    }

    @Test
    void escapesCommasInTheArchiveName() {
        assertTrue(parse().mountOptions("/x/a,b\\c").endsWith(",fsname=/x/a\\,b\\\\c"));
    }

    @Test
    void refusesWritableUnknownAndMalformedOptionsWithOneLine() {
        assertEquals("option 'rw': a Barecat mount is read-only", refused("rw"));
        assertEquals("option 'alow_other': not a barecat-mount option (see barecat-mount --help)", refused("alow_other"));
        assertEquals("option 'sync_read': not a barecat-mount option (see barecat-mount --help)", refused("sync_read"));
        assertEquals("option 'allow_other=1': not a barecat-mount option (see barecat-mount --help)",
                refused("allow_other=1"));
        assertEquals("option 'verify=yes': takes no value", refused("verify=yes"));
        assertEquals("option 'readdirplus=maybe': yes or no", refused("readdirplus=maybe"));
        assertEquals("option 'max_protocol=7.11': a FUSE protocol version from 7.12 to 7.38", refused("max_protocol=7.11"));
        assertEquals("option 'max_protocol=8.1': a FUSE protocol version from 7.12 to 7.38", refused("max_protocol=8.1"));
        for (String bad : List.of("entry_timeout=x", "attr_timeout=-1", "negative_timeout")) {
            assertEquals("option '" + bad + "': a number of seconds, 0 or more", refused(bad));
        }
        assertEquals("option 'uid=root': a number from 0 to 4294967295", refused("uid=root"));
        assertEquals("option 'uid': a number from 0 to 4294967295", refused("uid"));
        assertEquals("option 'umask=9': octal permission bits", refused("umask=9"));
        assertEquals("option 'max_background=0': a number of requests from 1 to 65535", refused("max_background=0"));
    }

    @Test
    void aUmaskOnlyTakesPermissionBitsAway() {
        MountOptions.Overrides o = parse("umask=022").overrides();
        assertEquals(0100600, o.mode(0100600), "0600 stays 0600, and is never made executable");
        assertEquals(0100644, o.mode(0100666));
        assertEquals(0040755, o.mode(0040777));
        assertEquals(0100000, parse("umask=777").overrides().mode(0100644));
        assertEquals(0100640, MountOptions.Overrides.NONE.mode(0100640));
        assertEquals(7, MountOptions.Overrides.NONE.uid(7));
        assertEquals(0, o.gid(0));
        assertEquals(5, parse("uid=5").overrides().uid(1000));
        assertEquals(new MountOptions.Overrides(1234L, 0L, 027), parse("uid=1234,gid=0,umask=027").overrides());
    }
}
