/**
 * Not an API: the JNA bindings libvirt-java lacks, callback signatures, the mapping of raw
 * libvirt events, and the JAXB model of hook-script documents.
 */
package org.virthooks.libvirt.internal;
