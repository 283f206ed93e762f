package org.virthooks.libvirt.domain;

/**
 * The host side of a guest disk (virDomainBlockInfo; Sys::Virt's {@code get_block_info}).
 *
 * @param capacity the logical size of the image, in bytes (what the guest sees)
 * @param allocation the host storage the image occupies, in bytes
 * @param physical the size of the image's container on the host, in bytes
 */
public record BlockInfo(long capacity, long allocation, long physical) {}
