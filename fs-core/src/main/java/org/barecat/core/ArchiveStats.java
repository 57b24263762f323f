package org.barecat.core;

/** Whole-archive totals, for statfs and {@code info}. */
public record ArchiveStats(long fileCount, long dirCount, long totalFileBytes, long shardBytes, int shardCount) {
}
