/**
 * Test support for the LDoms adapter: {@link org.virthooks.ldm.testing.LdmdSimulator}, a real
 * XMPP/TLS server on loopback that behaves like ldmd, and {@link org.virthooks.ldm.testing.SeedEvents},
 * a sample {@code LDM_event} for every event the LDoms guide names. In the artifact
 * {@code virthooks-ldm-testing}, to depend on with test scope (it brings BouncyCastle, for the
 * simulator's certificate).
 */
package org.virthooks.ldm.testing;
