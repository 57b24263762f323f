/**
 * Reading Barecat archives: the public API of fs-core.
 *
 * <pre>{@code
 * try (Archive archive = Archive.open(Path.of("data.barecat"))) {
 *     FileEntry file = (FileEntry) archive.lookup("train/cat/001.jpg").orElseThrow();
 *     ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
 *     archive.read(file, 0, bytes);
 * }
 * }</pre>
 *
 * <p>{@link org.barecat.core.Archive#open} finds and checks the archive;
 * {@link org.barecat.core.Archive#lookup} gives the {@link org.barecat.core.Entry} at a path (a
 * {@link org.barecat.core.FileEntry} or a {@link org.barecat.core.DirEntry});
 * {@link org.barecat.core.Archive#list} streams a directory's children as a
 * {@link org.barecat.core.DirectoryListing}; {@link org.barecat.core.Archive#read} reads a file's
 * bytes at any position; {@link org.barecat.core.ReadVerifier} checks them against the file's CRC-32C
 * as they are read. Paths follow {@link org.barecat.core.ArchivePaths}: {@code /}-separated, no
 * leading {@code /}, the root is {@code ""}. Problems are {@link java.io.IOException}s whose message
 * names the file and what is wrong ({@link org.barecat.core.ArchiveFormatException} when the archive
 * cannot be read at all).
 *
 * <p>An {@link org.barecat.core.Archive} is safe to share between threads, and so are the entries it
 * gives (immutable records); a {@link org.barecat.core.DirectoryListing} or
 * {@link org.barecat.core.IndexScan} is read by one thread.
 *
 * <p>Writing, appending, verifying, extracting and converting archives are in the archive-tools
 * module ({@code org.barecat.tools}); {@code org.barecat.core.internal} is not API.
 */
package org.barecat.core;
