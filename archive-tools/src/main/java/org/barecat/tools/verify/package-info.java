/** Checking a whole archive: every file's CRC-32C and location, SQLite's integrity, directory statistics. */
package org.barecat.tools.verify;
