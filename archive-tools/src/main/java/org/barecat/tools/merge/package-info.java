/** Making an archive from others: merging whole archives (Barecat, tar, zip) and taking subsets of them. */
package org.barecat.tools.merge;
