/** Writing archives: a new archive, appending to one, and packing files and directories from disk into either. */
package org.barecat.tools.write;
