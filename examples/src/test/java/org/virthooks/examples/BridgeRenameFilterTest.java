package org.virthooks.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.libvirt.testing.LibvirtHookHarness;

/** The filter as libvirt calls it: {@code qemu NAME restore begin -}, new XML on stdout. */
class BridgeRenameFilterTest {
  @Test
  void aRestoredGuestIsMovedToThisHostsBridge() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      new BridgeRenameFilter("br0", "virbr-prod").registerWith(h.registry());
      ScriptResult r = h.qemu("web1", "restore", "begin", "-")
          .stdin(MemoryBudgetPolicyTest.guest("web1", 1024)).run();
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.stdout()).contains("<source bridge=\"virbr-prod\"/>").doesNotContain("br0")
          .contains("<name>web1</name>");
    }
  }

  @Test
  void aGuestOnAnotherBridgeIsLeftAlone() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      new BridgeRenameFilter("br9", "virbr-prod").registerWith(h.registry());
      ScriptResult r = h.qemu("web1", "migrate", "begin", "-")
          .stdin(MemoryBudgetPolicyTest.guest("web1", 1024)).run();
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdout()).as("empty stdout means unchanged to libvirt").isEmpty();
    }
  }

  @Test
  void hostileXmlIsRefused() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      new BridgeRenameFilter("br0", "x").registerWith(h.registry());
      ScriptResult r = h.qemu("evil", "restore", "begin", "-").stdin("<!DOCTYPE d [<!ENTITY x "
          + "SYSTEM 'file:///etc/passwd'>]><domain><name>&x;</name></domain>").run();
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.stdout()).doesNotContain("root:");
    }
  }
}
