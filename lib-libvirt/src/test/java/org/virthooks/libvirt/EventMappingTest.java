package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventStamper;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceId;
import org.virthooks.libvirt.internal.DomainStates;
import org.virthooks.libvirt.internal.EventMapping;
import org.virthooks.libvirt.internal.TypedParams;

/** The pure mapping of libvirt's raw event arguments, including codes this version does not know. */
class EventMappingTest {
  final EventStamper s = new EventStamper(SourceId.of("libvirt", "test:///default"));
  final DomainRef vm = DomainRef.of("vm1").withId(3);

  @Test
  void everyLifecycleTypeAndDetailHasItsNameAndRawCodes() {
    DomainEvent crashed = EventMapping.lifecycle(s, vm, 8, 0);
    assertThat(crashed.kind()).isEqualTo(DomainEvent.Kind.CRASHED);
    assertThat(crashed.detail()).contains("PANICKED");
    DomainEvent pm = EventMapping.lifecycle(s, vm, 7, 1);
    assertThat(pm.kind()).isEqualTo(DomainEvent.Kind.PMSUSPENDED);
    assertThat(pm.action()).isEqualTo("LIFECYCLE/PMSUSPENDED/DISK");
    DomainEvent shutdown = EventMapping.lifecycle(s, vm, 6, 2);
    assertThat(shutdown.detail()).contains("HOST");
  }

  @Test
  void namedLifecyclePairsCarryTheirCodesInOrder() {
    // the named pairs' actions and attributes are made once; each event still gets its own meta
    DomainEvent a = EventMapping.lifecycle(s, vm, 3, 0);
    DomainEvent b = EventMapping.lifecycle(s, vm, 3, 0);
    assertThat(a.action()).isEqualTo("LIFECYCLE/SUSPENDED/PAUSED");
    assertThat(a.meta().attributes()).containsExactly(java.util.Map.entry("event", "3"),
        java.util.Map.entry("detail", "0"));
    assertThat(b.meta().seq()).isEqualTo(a.meta().seq() + 1);
    DomainEvent negative = EventMapping.lifecycle(s, vm, 4, -1);
    assertThat(negative.action()).isEqualTo("LIFECYCLE/RESUMED/-1");
    assertThat(negative.meta().attributes()).containsEntry("detail", "-1");
  }

  @Test
  void unknownTypesAndDetailsKeepTheirNumbers() {
    DomainEvent newDetail = EventMapping.lifecycle(s, vm, 5, 42);
    assertThat(newDetail.kind()).isEqualTo(DomainEvent.Kind.STOPPED);
    assertThat(newDetail.detail()).contains("42");
    assertThat(newDetail.meta().attributes()).containsEntry("detail", "42");
    DomainEvent newType = EventMapping.lifecycle(s, vm, 12, 1);
    assertThat(newType.kind()).isEqualTo(DomainEvent.Kind.OTHER);
    assertThat(newType.action()).isEqualTo("LIFECYCLE/12/1");
    assertThat(newType.meta().attributes()).containsEntry("event", "12");
  }

  @Test
  void watchdogIoErrorBlockJobsAndNetworks() {
    assertThat(EventMapping.watchdog(s, vm, 2).detail()).contains("RESET");
    DomainEvent io = EventMapping.ioError(s, vm, "IO_ERROR_REASON", "/img", "virtio-disk0", 1,
        "enospc");
    assertThat(io.kind()).isEqualTo(DomainEvent.Kind.IO_ERROR);
    assertThat(io.detail()).contains("enospc");
    assertThat(io.meta().attributes()).containsEntry("devAlias", "virtio-disk0")
        .containsEntry("actionName", "PAUSE");
    ProgressEvent done = EventMapping.blockJob(s, vm, "BLOCK_JOB_2", "vda", 2, 0);
    assertThat(done.status()).isEqualTo(ProgressEvent.Status.DONE);
    assertThat(done.percent()).hasValue(100);
    assertThat(EventMapping.blockJob(s, vm, "BLOCK_JOB", "/img", 1, 2).status())
        .isEqualTo(ProgressEvent.Status.FAILED);
    assertThat(EventMapping.blockJob(s, vm, "BLOCK_JOB", "/img", 2, 3).status())
        .isEqualTo(ProgressEvent.Status.ONGOING);
    // JOB_COMPLETED's statistics as libvirt 9.0 sends them for a push backup (seen on the wire)
    ProgressEvent backup = EventMapping.jobCompleted(s, vm, Map.of("operation", "9",
        "time_elapsed", "86", "success", "true"));
    assertThat(backup.status()).isEqualTo(ProgressEvent.Status.DONE);
    assertThat(backup.percent()).hasValue(100);
    ProgressEvent aborted = EventMapping.jobCompleted(s, vm, Map.of("operation", "9",
        "success", "false", "errmsg", "operation aborted"));
    assertThat(aborted.status()).isEqualTo(ProgressEvent.Status.FAILED);
    assertThat(aborted.percent()).isEmpty();
    assertThat(aborted.meta().attributes()).containsEntry("errmsg", "operation aborted");
    // a migration's statistics have no success flag: it emits JOB_COMPLETED only when done
    assertThat(EventMapping.jobCompleted(s, vm, Map.of("operation", "5")).status())
        .isEqualTo(ProgressEvent.Status.DONE);
    ResourceEvent net = (ResourceEvent) EventMapping.network(s, "default", null, 2, 0);
    assertThat(net.kindName()).isEqualTo("start-network");
    assertThat(net.resource()).isEqualTo(ResourceType.NETWORK);
    assertThat(((ResourceEvent) EventMapping.network(s, "n", null, 9, 0)).kindName())
        .isEqualTo("other");
  }

  @Test
  void typedParametersAreReadFromTheirCLayout() {
    Memory m = new Memory(96L * 3);
    m.clear();
    m.setString(0, "cputune.vcpu_quota");
    m.setInt(80, 3); // LLONG
    m.setLong(88, -5);
    m.setString(96, "blkdeviotune.disk");
    m.setInt(96 + 80, 7); // STRING
    Memory str = new Memory(8);
    str.setString(0, "vda");
    m.setPointer(96 + 88, str);
    m.setString(192, "flag");
    m.setInt(192 + 80, 6); // BOOLEAN
    m.setByte(192 + 88, (byte) 1);
    assertThat(TypedParams.read(m, 3)).isEqualTo(Map.of("cputune.vcpu_quota", "-5",
        "blkdeviotune.disk", "vda", "flag", "true"));
    assertThat(TypedParams.read(null, 0)).isEmpty();
  }

  @Test
  void resyncKindsFollowTheState() {
    assertThat(DomainStates.kindOfState(1)).isEqualTo(DomainEvent.Kind.STARTED);
    assertThat(DomainStates.kindOfState(3)).isEqualTo(DomainEvent.Kind.SUSPENDED);
    assertThat(DomainStates.kindOfState(5)).isEqualTo(DomainEvent.Kind.STOPPED);
    assertThat(DomainStates.kindOfState(99)).isEqualTo(DomainEvent.Kind.OTHER);
  }

  @Test
  void eventIdsParseByNameAndCode() {
    assertThat(DomainEventId.parse("device-added")).isEqualTo(DomainEventId.DEVICE_ADDED);
    assertThat(DomainEventId.fromCode(27)).isEqualTo(DomainEventId.NIC_MAC_CHANGE);
    assertThat(DomainEventId.values()).hasSize(28);
  }

  @Test
  void aMissingNativeLibraryIsOneErrorNamingThePackage() {
    UnsatisfiedLinkError e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> com.sun.jna.Native.load("virthooks-no-such-library", com.sun.jna.Library.class),
        UnsatisfiedLinkError.class);
    assertThat(new LibvirtUnavailableException(e).getMessage())
        .contains("libvirt.so.0 cannot be loaded").contains("apt-get install libvirt0");
  }
}
