/**
 * The Oracle LDoms adapter: {@link org.virthooks.ldm.LdmXml} reads and writes the ldmd XML interface,
 * {@link org.virthooks.ldm.LdmConnection} talks to ldmd over XMPP and TLS,
 * {@link org.virthooks.ldm.LdmEventTranslator} turns {@code LDM_event}s into lib-core events and
 * {@link org.virthooks.ldm.LdmEventSource} keeps a registration alive across connection losses.
 */
package org.virthooks.ldm;
