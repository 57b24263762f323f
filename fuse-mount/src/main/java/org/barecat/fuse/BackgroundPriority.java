package org.barecat.fuse;

import java.util.OptionalInt;

/**
 * Keeps the work a mount does in the background (reading listings ahead, the JIT warm-up, and the
 * compiling that follows) behind everything else on the machine until the mount is used. A nice
 * value on a thread ranks it only within the daemon's session: with autogroups (on by default in the
 * kernels of many distributions, Debian's among them) the CPU is first shared between sessions, and
 * the daemon, started with setsid, is a session of its own. So the daemon's whole session group is
 * niced from the start of that work until the first request (the kernel's INIT handshake aside),
 * which gives the group its priority back and ends the warm-up (see {@link #used}): requests are
 * never served at a lowered priority, and a mount started right after this one gets the CPU first.
 */
final class BackgroundPriority {
    /** Within the session: behind the requests, yet making headway while the mount is busy. */
    private static final int THREAD_NICENESS = 10;
    /** Against other sessions, until the first request: only CPU time no one else wants. */
    private static final int GROUP_NICENESS = 19;
    /** The group's nice value before it was lowered, while it is lowered; else null (read on every request). */
    private volatile Integer before;
    /** Whether a request has come. */
    private volatile boolean used;

    /** Nices the calling thread, and the daemon's session group if it is a session of its own. */
    synchronized void enter() {
        Posix.niceThisThread(THREAD_NICENESS);
        OptionalInt group = Posix.ownSessionGroupNice();
        if (group.isPresent() && group.getAsInt() < GROUP_NICENESS && Posix.setOwnSessionGroupNice(GROUP_NICENESS)) {
            before = group.getAsInt();
        }
    }

    /**
     * A request has come: the group gets its priority back. Should the kernel refuse (it allows one
     * change per 100 ms system-wide to unprivileged processes), the next request tries again.
     */
    void requestArrived() {
        if (!used) {
            used = true;
        }
        if (before != null) {
            restore();
        }
    }

    /**
     * Whether a request has come. The JIT warm-up ends there: from then on the requests themselves
     * train the JIT, and a warm-up still running beside them (with the compiling it causes) slowed the
     * first cold {@code find} down (docs/PERFORMANCE.md).
     */
    boolean used() {
        return used;
    }

    private synchronized void restore() {
        Integer nice = before;
        if (nice != null && Posix.setOwnSessionGroupNice(nice)) {
            before = null;
        }
    }
}
