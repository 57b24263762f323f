package org.barecat.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second Unix user for a test class: added before its tests (a group of its own, no home, the
 * shell given), and after them its processes killed and the user removed. Skips the class unless it
 * runs as root.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OtherUser user = new OtherUser("barecat-it-", "/usr/sbin/nologin");
 * }</pre>
 */
final class OtherUser implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private final String shell;
    private String name;

    /** A user named {@code prefix} and this JVM's pid, so that two runs on one machine do not meet. */
    OtherUser(String prefix, String shell) {
        this.prefix = prefix;
        this.shell = shell;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to add a user and switch to it");
        String user = prefix + ProcessHandle.current().pid();
        Programs.run("useradd", "--no-create-home", "--user-group", "--shell", shell, user).ok();
        name = user;
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (name == null) {
            return;
        }
        // userdel refuses a user with processes left, such as a daemon a failed test left mounted;
        // pkill only sends the signal, so wait for them to be gone.
        Programs.run("pkill", "-KILL", "-u", name);
        while (Programs.run("pgrep", "-u", name).exit() == 0) {
            Thread.sleep(20);
        }
        Programs.run("userdel", name).ok();
    }

    String name() {
        return name;
    }

    String uid() {
        return Programs.run("id", "-u", name).ok().out().trim();
    }

    /** {@code command} to be run as this user (with runuser). */
    List<String> runs(String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        full.addAll(List.of(command));
        return full;
    }
}
