/**
 * Internals of the LDoms adapter: the hardened XML reader, the stream framer, the XMPP session,
 * TLS set-up. Not an API: anything here may change in any release.
 */
package org.virthooks.ldm.internal;
