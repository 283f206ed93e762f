package org.virthooks.libvirt.domain;

import java.util.Optional;

/**
 * An error a guest disk had (virDomainDiskError; Sys::Virt's {@code get_disk_errors}).
 *
 * @param disk the disk's target, such as {@code vda}
 * @param error the error, empty for a number this version does not know
 * @param rawError libvirt's number of the error
 */
public record DiskError(String disk, Optional<DiskErrorCode> error, int rawError) {}
