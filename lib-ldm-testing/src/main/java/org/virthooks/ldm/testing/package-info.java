/**
 * Test support for the LDoms adapter: {@link org.virthooks.ldm.testing.LdmdSimulator}, a real
 * XMPP/TLS server on loopback that behaves like ldmd, and {@link org.virthooks.ldm.testing.SeedEvents},
 * a sample {@code LDM_event} for every event the LDoms guide names.
 */
package org.virthooks.ldm.testing;
