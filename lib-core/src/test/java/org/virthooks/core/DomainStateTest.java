package org.virthooks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainStateTest {
  /** Every STATE_*_* constant of seed 004 (Sys::Virt::Domain). */
  private static final List<String> SEED = List.of("CRASHED_UNKNOWN", "NOSTATE_UNKNOWN",
      "PAUSED_DUMP", "PAUSED_FROM_SNAPSHOT", "PAUSED_IOERROR", "PAUSED_MIGRATION", "PAUSED_SAVE",
      "PAUSED_UNKNOWN", "PAUSED_USER", "PAUSED_WATCHDOG", "PAUSED_SHUTTING_DOWN", "PAUSED_SNAPSHOT",
      "RUNNING_BOOTED", "RUNNING_FROM_SNAPSHOT", "RUNNING_MIGRATED", "RUNNING_MIGRATION_CANCELED",
      "RUNNING_RESTORED", "RUNNING_SAVE_CANCELED", "RUNNING_UNKNOWN", "RUNNING_UNPAUSED",
      "RUNNING_WAKEUP", "BLOCKED_UNKNOWN", "SHUTDOWN_UNKNOWN", "SHUTDOWN_USER", "SHUTOFF_CRASHED",
      "SHUTOFF_DESTROYED", "SHUTOFF_FAILED", "SHUTOFF_FROM_SNAPSHOT", "SHUTOFF_MIGRATED",
      "SHUTOFF_SAVED", "SHUTOFF_SHUTDOWN", "SHUTOFF_UNKNOWN", "PMSUSPENDED_UNKNOWN",
      "PMSUSPENDED_DISK_UNKNOWN");

  @Test
  void everyReasonOfTheSeedExistsAndBelongsToItsState() {
    List<String> names = Arrays.stream(DomainStateReason.values()).map(Enum::name).toList();
    assertThat(names).containsAll(SEED);
    for (DomainStateReason r : DomainStateReason.values()) {
      assertThat(r.name()).startsWith(r.state().name() + "_");
    }
  }

  @Test
  void libvirtCodesMapToStatesAndReasons() {
    DomainStatus s = DomainStatus.fromCodes(5, 2);
    assertThat(s.state()).isEqualTo(DomainState.SHUTOFF);
    assertThat(s.reason()).contains(DomainStateReason.SHUTOFF_DESTROYED);
    assertThat(DomainStatus.fromCodes(3, 1).reason()).contains(DomainStateReason.PAUSED_USER);
    assertThat(DomainStatus.fromCodes(1, 1).reason()).contains(DomainStateReason.RUNNING_BOOTED);
  }

  @Test
  void anUnknownReasonCodeKeepsTheRawNumber() {
    DomainStatus s = DomainStatus.fromCodes(1, 99);
    assertThat(s.state()).isEqualTo(DomainState.RUNNING);
    assertThat(s.reason()).isEmpty();
    assertThat(s.rawReason()).isEqualTo(99);
  }

  @Test
  void anUnknownStateCodeIsAClearError() {
    assertThatThrownBy(() -> DomainStatus.fromCodes(42, 0)).hasMessageContaining("42");
  }

  @Test
  void aReasonOfAnotherStateIsRejected() {
    assertThatThrownBy(() -> new DomainStatus(DomainState.RUNNING,
        Optional.of(DomainStateReason.SHUTOFF_SAVED), 5)).hasMessageContaining("SHUTOFF_SAVED");
  }

  @Test
  void domainInfoRejectsNegativeFigures() {
    assertThat(new DomainInfo(1024, 512, 10, 2, DomainState.RUNNING).vcpus()).isEqualTo(2);
    assertThatThrownBy(() -> new DomainInfo(-1, 0, 0, 1, DomainState.RUNNING))
        .hasMessageContaining("maxMemoryKib").hasMessageContaining("-1");
    assertThatThrownBy(() -> new DomainInfo(1, 0, 0, -2, DomainState.RUNNING))
        .hasMessageContaining("vcpus");
  }
}
