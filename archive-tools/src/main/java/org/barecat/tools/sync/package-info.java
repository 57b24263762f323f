/** {@code barecat rsync}: what to send between a directory and an archive, carried out by the writers and the extractor. */
package org.barecat.tools.sync;
