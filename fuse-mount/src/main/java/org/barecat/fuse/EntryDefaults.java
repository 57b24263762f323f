package org.barecat.fuse;

/**
 * What an entry shows when its row has NULL metadata: owner of the mount, and the index file's
 * modification time. Permissions default to 0644 for files and 0755 for directories.
 */
public record EntryDefaults(int uid, int gid, long mtimeNs) {
    static final int FILE_PERMISSIONS = 0644;
    static final int DIR_PERMISSIONS = 0755;
}
