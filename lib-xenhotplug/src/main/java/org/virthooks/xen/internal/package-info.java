/**
 * Internals of the Xen adapter: the xenstore wire format (message types, frames, path rules).
 * Not an API: may change in any release.
 */
package org.virthooks.xen.internal;
