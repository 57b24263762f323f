package org.barecat.fuse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The path of each directory the kernel holds a node id for, by node id, kept from LOOKUP replies
 * and FORGET requests. A READDIR for a directory opened without a message (see
 * {@link FuseSession}) names the directory by node id alone, and libfuse 2 has no call that turns
 * one into a path. It holds what the kernel holds: a directory's entry goes when the kernel has
 * forgotten every lookup of it, as libfuse's node table counts them (libfuse hands out a node id
 * again only once that has happened). Files are not kept.
 */
final class DirectoryNodes {
    private static final long ROOT = 1; // FUSE_ROOT_ID: never looked up, never forgotten

    private static final class Node {
        final String path;
        long lookups;

        Node(String path) {
            this.path = path;
        }
    }

    private final ConcurrentHashMap<Long, Node> nodes = new ConcurrentHashMap<>();

    /** The path (as libfuse gives paths: {@code /a/b}) of directory {@code node}, or null when the kernel holds no lookup of it. */
    String pathOf(long node) {
        if (node == ROOT) {
            return "/";
        }
        Node n = nodes.get(node);
        return n == null ? null : n.path;
    }

    /** The path of {@code name} (UTF-8, without NUL) in directory {@code parent}, or null when the parent is not known. */
    String childPath(long parent, byte[] name, int length) {
        String dir = pathOf(parent);
        if (dir == null) {
            return null;
        }
        String child = new String(name, 0, length, StandardCharsets.UTF_8);
        return dir.equals("/") ? "/" + child : dir + "/" + child;
    }

    /** A LOOKUP is about to be answered with directory {@code node} at {@code path}: the kernel holds one more lookup of it. */
    void lookedUp(long node, String path) {
        if (node != ROOT) {
            nodes.compute(node, (id, n) -> {
                Node kept = n != null ? n : new Node(path);
                kept.lookups++;
                return kept;
            });
        }
    }

    /** The kernel dropped {@code count} lookups of {@code node} (FORGET), or did not get the reply that made one. */
    void forgot(long node, long count) {
        nodes.computeIfPresent(node, (id, n) -> {
            n.lookups -= count;
            return n.lookups > 0 ? n : null;
        });
    }

    /** Directories held (for tests). */
    int size() {
        return nodes.size();
    }
}
