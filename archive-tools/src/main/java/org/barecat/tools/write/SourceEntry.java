package org.barecat.tools.write;

import org.barecat.core.Attributes;

import java.nio.file.Path;

/**
 * A file or directory on disk, about to be stored in an archive.
 *
 * @param source      where it is on disk
 * @param archivePath the path it gets in the archive
 * @param shown       how messages name it (its path on disk, bytes that are not text escaped)
 * @param directory   whether it is a directory (else a regular file)
 * @param size        byte size of a file as it was when looked at; 0 for a directory
 */
public record SourceEntry(Path source, String archivePath, String shown, boolean directory, long size,
                          Attributes attributes) {
}
