/** Converting between Barecat and other archive formats: tar (plain or compressed) and zip in, tar out. */
package org.barecat.tools.convert;
