/**
 * Making and changing Barecat archives, by capability: {@code write} (new archives, appending,
 * packing files from disk), {@code verify}, {@code extract} and {@code convert} (tar and zip); here,
 * what they all report through: {@link org.barecat.tools.ProgressListener} and
 * {@link org.barecat.tools.Totals}. Reading is fs-core's {@code org.barecat.core}.
 */
package org.barecat.tools;
