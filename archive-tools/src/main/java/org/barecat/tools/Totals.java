package org.barecat.tools;

/**
 * What a run of work over many entries did: files and directories done, bytes of file content,
 * entries skipped on purpose, entries that failed (each one reported to the listener).
 */
public record Totals(long files, long directories, long bytes, long skipped, long problems) {
}
