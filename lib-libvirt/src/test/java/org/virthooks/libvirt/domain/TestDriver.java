package org.virthooks.libvirt.domain;

/**
 * libvirt's in-process test driver: {@code test:///default} has one running guest, {@code test}
 * (disk {@code vda}, interface {@code testnet0}), and fakes its statistics. Its state is shared by
 * the connections of one process while any is open; each test class opens one connection and
 * defines guests of its own names.
 */
final class TestDriver {
  static final String URI = "test:///default";
  /** The guest the driver starts with. */
  static final String BUILTIN = "test";

  private TestDriver() {}

  /** A persistent test-driver guest with 2 vCPUs and 256 MiB (max 512 MiB). */
  static String guest(String name) {
    return "<domain type='test'><name>" + name + "</name>"
        + "<memory unit='KiB'>524288</memory><currentMemory unit='KiB'>262144</currentMemory>"
        + "<vcpu>2</vcpu><os><type>hvm</type></os></domain>";
  }

  /** The same guest with a fixed UUID. */
  static String guest(String name, String uuid) {
    return guest(name).replace("</name>", "</name><uuid>" + uuid + "</uuid>");
  }
}
