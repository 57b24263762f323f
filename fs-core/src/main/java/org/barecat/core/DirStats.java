package org.barecat.core;

/** The statistics a {@code dirs} row carries (possibly stale in archives built without triggers). */
public record DirStats(long numSubdirs, long numFiles, long numFilesTree, long sizeTree) {
}
