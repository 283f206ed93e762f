package org.virthooks.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.libvirt.testing.LibvirtHookHarness;

/** The policy as libvirt calls it: {@code qemu NAME prepare begin -} with the domain XML on stdin. */
class MemoryBudgetPolicyTest {
  static String guest(String name, long mib) {
    return "<domain type='kvm' id='7'><name>" + name + "</name>"
        + "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>"
        + "<memory unit='KiB'>" + mib * 1024 + "</memory><vcpu>2</vcpu>"
        + "<devices><interface type='bridge'><source bridge='br0'/></interface></devices></domain>";
  }

  @Test
  void aGuestOverTheBudgetIsRefusedWithAOneLineMessage() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      new MemoryBudgetPolicy(4096).registerWith(h.registry());
      ScriptResult r = h.qemu("big-db", "prepare", "begin", "-").stdin(guest("big-db", 8192)).run();
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.stderr().strip())
          .isEqualTo("guest big-db asks for 8192 MiB, over the 4096 MiB budget of this host");
    }
  }

  @Test
  void aGuestWithinTheBudgetStarts() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      new MemoryBudgetPolicy(4096).registerWith(h.registry());
      ScriptResult r = h.qemu("web1", "prepare", "begin", "-").stdin(guest("web1", 1024)).run();
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdout()).isEmpty();
    }
  }

  @Test
  void unreadableXmlIsRefusedRatherThanWavedThrough() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      new MemoryBudgetPolicy(4096).registerWith(h.registry());
      ScriptResult r = h.qemu("odd", "prepare", "begin", "-").stdin("<domain><name>odd").run();
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.stderr()).contains("cannot read the domain XML");
    }
  }
}
