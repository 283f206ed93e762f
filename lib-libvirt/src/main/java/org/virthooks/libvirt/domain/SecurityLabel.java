package org.virthooks.libvirt.domain;

/**
 * The security label of a guest's process (virSecurityLabel; Sys::Virt's
 * {@code get_security_label}).
 *
 * @param label the label, such as an SELinux context; empty when the guest has none
 * @param enforcing whether the security model enforces it
 */
public record SecurityLabel(String label, boolean enforcing) {}
