package org.barecat.remote;

import java.time.Instant;

/**
 * What a HEAD tells of an object: enough to know whether it changed.
 *
 * @param version its ETag (else its Last-Modified date), or "" when the server gives neither
 */
record ObjectInfo(long size, String version, Instant lastModified) {
}
