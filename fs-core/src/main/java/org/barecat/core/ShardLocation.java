package org.barecat.core;

/** Where a file's bytes start: shard number and byte offset within that shard. */
public record ShardLocation(int shard, long offset) {
}
