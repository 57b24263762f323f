/** What fs-core shares with archive-tools of its index internals: not API, may change in any release. */
package org.barecat.core.internal;
