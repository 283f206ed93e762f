/**
 * The one hardened XML reader and JAXB helper of virthooks, used by the adapters that read XML
 * (lib-ldm, lib-libvirt). Not an API: excluded from javadoc, may change in any release.
 */
package org.virthooks.core.internal.xml;
