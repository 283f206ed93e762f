package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Block, interface and memory statistics as records, from the figures the test driver fakes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainStatsTest {
  LibvirtDomains domains;
  LibvirtDomain builtin;

  @BeforeAll
  void open() {
    domains = LibvirtDomains.openReadOnly(TestDriver.URI);
    builtin = domains.byName(TestDriver.BUILTIN);
  }

  @AfterAll
  void close() {
    domains.close();
  }

  @Test
  void blockStatsHaveEveryCounter() {
    BlockStats s = builtin.blockStats("vda");
    assertThat(s.readRequests()).isPositive();
    assertThat(s.readBytes()).isPositive();
    assertThat(s.writeRequests()).isPositive();
    assertThat(s.writeBytes()).isPositive();
    assertThat(s.errors()).isPositive();
    assertThat(builtin.blockStats("/guest/diskimage1").readRequests()).isPositive();
    assertThatThrownBy(() -> builtin.blockStats("vdz")).isInstanceOf(LibvirtDomainException.class);
  }

  @Test
  void interfaceStatsHaveEveryCounter() {
    InterfaceStats s = builtin.interfaceStats("testnet0");
    assertThat(java.util.List.of(s.rxBytes(), s.rxPackets(), s.rxErrors(), s.rxDrops(),
        s.txBytes(), s.txPackets(), s.txErrors(), s.txDrops())).allMatch(v -> v > 0);
    assertThat(builtin.interfaceStats("aa:bb:cc:dd:ee:ff").rxBytes()).isPositive();
  }

  @Test
  void memoryStatsAreByTag() {
    MemoryStats m = builtin.memoryStats();
    assertThat(m.get(MemoryStatTag.ACTUAL_BALLOON)).hasValue(2097152);
    assertThat(m.get(MemoryStatTag.SWAP_IN)).hasValue(0);
    assertThat(m.get(MemoryStatTag.UNUSED)).hasValue(1048576);
    assertThat(m.get(MemoryStatTag.AVAILABLE)).hasValue(2097152);
    assertThat(m.get(MemoryStatTag.RSS)).hasValue(1048576);
    assertThat(m.unknownTags()).isEmpty();
  }

  @Test
  void aReadOnlyConnectionRefusesChanges() {
    assertThatThrownBy(builtin::suspend).isInstanceOfSatisfying(LibvirtDomainException.class,
        e -> assertThat(e.codeName()).isEqualTo("VIR_ERR_OPERATION_DENIED"));
  }
}
