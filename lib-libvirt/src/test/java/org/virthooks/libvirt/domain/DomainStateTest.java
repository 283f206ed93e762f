package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.DomainInfo;
import org.virthooks.core.DomainState;
import org.virthooks.core.DomainStateReason;
import org.virthooks.core.DomainStatus;

/** State (info, state + reason, control info, disk errors, block info) through the control calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainStateTest {
  LibvirtDomains domains;
  LibvirtDomain guest;

  @BeforeAll
  void open() {
    domains = LibvirtDomains.open(TestDriver.URI);
  }

  @AfterAll
  void close() {
    domains.close();
  }

  @BeforeEach
  void define() {
    guest = domains.define(TestDriver.guest("vh-state"));
  }

  @AfterEach
  void undefine() {
    if (guest.isActive()) {
      guest.destroy();
    }
    guest.undefine(Set.of(UndefineFlag.MANAGED_SAVE));
    guest.close();
  }

  DomainStateReason reason() {
    DomainStatus s = guest.state();
    assertThat(s.reason()).as("a known reason for %s/%d", s.state(), s.rawReason()).isPresent();
    return s.reason().get();
  }

  @Test
  void infoIsCoresDomainInfo() {
    DomainInfo off = guest.info();
    // the test driver reports the host's CPU time for every guest
    assertThat(off).isEqualTo(new DomainInfo(524288, 262144, off.cpuTimeNanos(), 2,
        DomainState.SHUTOFF));
    guest.start();
    assertThat(guest.info().state()).isEqualTo(DomainState.RUNNING);
    assertThat(guest.info().vcpus()).isEqualTo(2);
  }

  @Test
  void everyControlCallLeavesItsReason() {
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_UNKNOWN);
    guest.start();
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_BOOTED);
    guest.suspend();
    assertThat(reason()).isEqualTo(DomainStateReason.PAUSED_USER);
    guest.resume();
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_UNPAUSED);
    guest.reboot(Set.of());
    guest.reset();
    assertThat(guest.isActive()).isTrue();
    guest.shutdown();
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_SHUTDOWN);
    guest.start(Set.of());
    guest.destroy(Set.of(DestroyFlag.GRACEFUL));
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_DESTROYED);
    guest.start();
    // the test driver takes no shutdown mode: its refusal names the bit that reached it
    assertThatThrownBy(() -> guest.shutdown(Set.of(ShutdownMode.ACPI_POWER_BTN)))
        .isInstanceOfSatisfying(LibvirtDomainException.class, e -> {
          assertThat(e.code()).isEqualTo(LibvirtDomainException.INVALID_ARG);
          assertThat(e.libvirtMessage()).contains("unsupported flags (0x1)");
        });
  }

  @Test
  void saveAndRestore(@TempDir Path dir) {
    guest.start();
    Path file = dir.resolve("vh-state.save");
    guest.save(file);
    assertThat(file).isNotEmptyFile();
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_SAVED);
    domains.restore(file);
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_RESTORED);
  }

  @Test
  void managedSaveHasAndRemove() {
    guest.start();
    assertThat(guest.hasManagedSaveImage()).isFalse();
    guest.managedSave();
    assertThat(guest.hasManagedSaveImage()).isTrue();
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_SAVED);
    guest.removeManagedSave();
    assertThat(guest.hasManagedSaveImage()).isFalse();
    guest.start();
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_BOOTED);
    guest.managedSave();
    guest.start(); // from the image, which is used up
    assertThat(guest.state().state()).isEqualTo(DomainState.RUNNING);
    assertThat(guest.hasManagedSaveImage()).isFalse();
  }

  @Test
  void coreDumpWritesTheFile(@TempDir Path dir) throws Exception {
    guest.start();
    Path file = dir.resolve("vh-state.core");
    guest.coreDump(file, Set.of());
    assertThat(Files.exists(file)).isTrue();
    guest.coreDump(dir.resolve("crash.core"), Set.of(DumpFlag.CRASH));
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_CRASHED);
  }

  @Test
  void sendKeyIsAccepted() {
    guest.start();
    guest.sendKey(KeycodeSet.LINUX, Duration.ofMillis(50), 29, 56, 111); // ctrl-alt-del
    assertThatThrownBy(() -> guest.sendKey(KeycodeSet.LINUX, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> guest.sendKey(KeycodeSet.LINUX, Duration.ZERO, new int[17]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
  }

  @Test
  void aCallInvalidInTheStateIsOperationInvalid() {
    assertThatThrownBy(guest::diskErrors).isInstanceOfSatisfying(LibvirtDomainException.class,
        e -> {
          assertThat(e.code()).isEqualTo(LibvirtDomainException.OPERATION_INVALID);
          assertThat(e.codeName()).isEqualTo("VIR_ERR_OPERATION_INVALID");
          assertThat(e.errorDomain()).isEqualTo(20);
          assertThat(e.operation()).isEqualTo("virDomainGetDiskErrors(vh-state)");
          assertThat(e.getMessage()).startsWith("virDomainGetDiskErrors(vh-state) failed: ")
              .endsWith("(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN)");
        });
    // the test driver reports suspending a stopped guest as an internal error
    assertThatThrownBy(guest::suspend).isInstanceOfSatisfying(LibvirtDomainException.class,
        e -> assertThat(e.operation()).isEqualTo("virDomainSuspend(vh-state)"));
  }

  @Test
  void controlInfoDiskErrorsAndBlockInfoOfTheBuiltinGuest() {
    try (LibvirtDomain builtin = domains.byName(TestDriver.BUILTIN)) {
      ControlInfo c = builtin.controlInfo();
      assertThat(c.state()).hasValue(ControlState.OK);
      assertThat(c.errorReason()).isEmpty();
      assertThat(c.stateTime()).isEqualTo(Duration.ZERO);
      List<DiskError> errors = builtin.diskErrors();
      assertThat(errors).containsExactly(
          new DiskError("vda", java.util.Optional.of(DiskErrorCode.UNSPEC), 1));
      BlockInfo b = builtin.blockInfo("vda");
      assertThat(b.capacity()).isPositive();
      assertThat(b.physical()).isGreaterThanOrEqualTo(b.allocation());
      assertThatThrownBy(() -> builtin.blockInfo("vdz"))
          .isInstanceOf(LibvirtDomainException.class).hasMessageContaining("vdz");
    }
    guest.start();
    assertThat(guest.diskErrors()).isEmpty();
  }
}
