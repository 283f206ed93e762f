/**
 * Sys::Virt::Domain as a typed Java API over libvirt-java: {@link
 * org.virthooks.libvirt.domain.LibvirtDomains} (a connection's guests: lookup, define, create,
 * restore, list) and {@link org.virthooks.libvirt.domain.LibvirtDomain} (one guest's operations),
 * with records where Sys::Virt returns hashes, enums and enum sets where it takes constants, and
 * {@link org.virthooks.libvirt.domain.LibvirtDomainException} (libvirt's code, error domain and
 * message) for every failure. State is reported in lib-core's types, the same as the events'.
 */
package org.virthooks.libvirt.domain;
