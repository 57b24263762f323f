/** Extracting an archive's files and directories onto disk, safely. */
package org.barecat.tools.extract;
