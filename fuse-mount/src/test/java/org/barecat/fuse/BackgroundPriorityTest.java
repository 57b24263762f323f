package org.barecat.fuse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On the real kernel: which scheduling group {@link BackgroundPriority} lowers, and when it gives it back. */
class BackgroundPriorityTest {
    private static final Path OWN_GROUP = Path.of("/proc/self/autogroup");

    @Test
    void aSessionLeaderLowersItsGroupUntilTheFirstRequest() throws Exception {
        assumeTrue(Files.exists(OWN_GROUP), "a kernel with scheduling autogroups");
        // a JVM of its own, in a session of its own (setsid), as the daemon barecat-mount starts
        Process child = new ProcessBuilder("setsid", "-w", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe finished");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.exitValue(), out);
        assertEquals("before 0, working 19, after a request 0", out);
    }

    @Test
    void aProcessInSomeoneElsesSessionLeavesTheGroupAlone() throws Exception {
        assumeTrue(Files.exists(OWN_GROUP), "a kernel with scheduling autogroups");
        int before = groupNice();
        Thread worker = new Thread(() -> new BackgroundPriority().enter()); // the thread's own nice value changes
        try {
            worker.start();
            worker.join();
            assertEquals(before, groupNice(), "this JVM's session is the build's, not ours");
        } finally {
            Files.writeString(OWN_GROUP, Integer.toString(before)); // had it failed: not on the next tests
        }
    }

    static int groupNice() throws IOException {
        String[] fields = Files.readString(OWN_GROUP).trim().split(" "); // "/autogroup-25 nice 0"
        return Integer.parseInt(fields[fields.length - 1]);
    }

    /** Runs in the session-leading child JVM: prints the group's nice value before, during and after. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            int before = groupNice();
            BackgroundPriority priority = new BackgroundPriority();
            priority.enter();
            int working = groupNice();
            priority.requestArrived();
            System.out.println("before " + before + ", working " + working + ", after a request " + groupNice());
        }
    }
}
