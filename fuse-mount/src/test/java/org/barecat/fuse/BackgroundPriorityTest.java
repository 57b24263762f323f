package org.barecat.fuse;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On the real kernel: which scheduling group {@link BackgroundPriority} lowers, and when it gives it
 * back. Each case runs in a JVM in a new session (setsid), so it has an autogroup of its own even
 * where the build runs in none (a container's first session is in the root group, whose
 * {@code /proc/self/autogroup} reads empty).
 */
class BackgroundPriorityTest {
    private static final Path OWN_GROUP = Path.of("/proc/self/autogroup");

    @Test
    void aSessionLeaderLowersItsGroupUntilTheFirstRequest() throws Exception {
        // as barecat-mount starts the daemon: the JVM leads its session
        assertEquals("leader, before 0, working 19, after a request 0", probe("setsid", "-w"));
    }

    @Test
    void aProcessInSomeoneElsesSessionLeavesTheGroupAlone() throws Exception {
        // as with -f from a shell: the shell leads the session, the JVM is one of its jobs
        assertEquals("member, before 0, working 0, after a request 0", probe("setsid", "-w", "sh", "-c", "\"$@\" & wait $!", "sh"));
    }

    private static String probe(String... launcher) throws Exception {
        assumeTrue(Files.exists(OWN_GROUP), "a kernel with scheduling autogroups");
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as bin/barecat-launch starts the JVM: no warnings about native access on Java 24 and newer
                "--enable-native-access=ALL-UNNAMED", "-Dsun.misc.unsafe.memory.access=allow",
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe finished");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.exitValue(), out);
        return out;
    }

    /** Runs in the child JVM: prints its place in the session and its group's nice value before, during and after. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            String place = Posix.isSessionLeader() ? "leader" : "member";
            int before = groupNice();
            BackgroundPriority priority = new BackgroundPriority();
            priority.enter();
            int working = groupNice();
            priority.requestArrived();
            System.out.println(place + ", before " + before + ", working " + working + ", after a request " + groupNice());
        }

        private static int groupNice() throws IOException {
            String[] fields = Files.readString(OWN_GROUP).trim().split(" "); // "/autogroup-25 nice 0"
            return Integer.parseInt(fields[fields.length - 1]);
        }
    }
}
