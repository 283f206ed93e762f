package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.virthooks.core.DomainState;
import org.virthooks.core.DomainStateReason;
import org.virthooks.libvirt.testing.Libvirtd;

/**
 * The domain API against a real libvirtd (root, started here without systemd) and a tiny QEMU
 * guest under TCG with a raw disk, an empty CD-ROM and a tap interface: what the test driver does
 * not implement (device attach and update, block resize and peek, memory peek, start paused, the
 * updated flag, PM calls) and what only a real hypervisor answers for real (save/restore and
 * managed save with QEMU's reasons, a memory-only core dump, block I/O tune through QEMU,
 * statistics, errors across the RPC). One daemon for the class: the first define probes QEMU
 * for tens of seconds.
 *
 * <p>Calls that need a guest OS cannot succeed here (the guest sits in SeaBIOS, with no agent):
 * PM suspend and the hostname need the guest agent, so those tests assert libvirt's refusal and
 * its code, which proves the call reached the daemon with our arguments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class RealLibvirtdDomainApiTest {
  static final String GUEST = "vh-dapi-1";
  static final UUID GUEST_UUID = UUID.fromString("5a1e0b7e-0000-4000-8000-00000000da01");
  static final byte[] MARKER = {'v', 'h', 'd', 'a'};
  static final long DISK_BYTES = 1 << 20;
  static final Set<ModificationImpact> LIVE = Set.of(ModificationImpact.LIVE);
  static final Set<ModificationImpact> CONFIG = Set.of(ModificationImpact.CONFIG);

  Libvirtd daemon;
  Path dir;
  Path disk;
  Path disk2;
  Path medium;
  LibvirtDomains domains;
  LibvirtDomain guest;

  static String guestXml(Path disk) {
    return "<domain type='qemu'>\n"
        + "  <name>" + GUEST + "</name><uuid>" + GUEST_UUID + "</uuid>\n"
        + "  <memory unit='MiB'>64</memory><vcpu current='1'>2</vcpu>\n"
        + "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
        + "  <features><acpi/></features>\n"
        + "  <devices>\n"
        + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
        + "    <disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        + "<source file='" + disk + "'/><target dev='vda' bus='virtio'/></disk>\n"
        + "    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        + "<target dev='hdc' bus='ide'/><readonly/></disk>\n"
        + "    <interface type='ethernet'><target dev='vhdapi0'/><model type='virtio'/>"
        + "</interface>\n"
        + "  </devices>\n"
        + "</domain>\n";
  }

  @BeforeAll
  void start() throws Exception {
    Libvirtd.killGuests("vh-dapi"); // a previous run's leftovers, if it died
    // QEMU runs as libvirt-qemu: the images sit where it may traverse
    Path images = Path.of("/var/lib/libvirt/images");
    dir = Files.createTempDirectory(Files.isDirectory(images) ? images : Path.of("/tmp"),
        "vh-dapi");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    disk = dir.resolve("vda.img");
    byte[] content = new byte[(int) DISK_BYTES];
    System.arraycopy(MARKER, 0, content, 0, MARKER.length);
    Files.write(disk, content);
    disk2 = dir.resolve("vdb.img");
    Files.write(disk2, new byte[(int) DISK_BYTES]);
    // the CD's medium is a file of its own: vdb stays attached live and holds its image's lock
    medium = dir.resolve("cd.iso");
    Files.write(medium, new byte[64 * 1024]);
    daemon = Libvirtd.start(Path.of("target", "libvirtd-domapi-logs").toAbsolutePath(),
        Duration.ofSeconds(30));
    domains = LibvirtDomains.open(Libvirtd.URI);
    domains.find(GUEST).ifPresent(d -> {
      try (d) {
        if (d.isActive()) {
          d.destroy();
        }
        d.undefine(Set.of(UndefineFlag.MANAGED_SAVE));
      }
    });
    guest = domains.define(guestXml(disk));
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (guest != null) {
        if (guest.isActive()) {
          guest.destroy();
        }
        guest.undefine(Set.of(UndefineFlag.MANAGED_SAVE));
      }
      if (domains != null) {
        domains.close();
      }
    } finally {
      if (daemon != null) {
        daemon.close();
      }
      Libvirtd.killGuests("vh-dapi");
      if (dir != null) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  DomainStateReason reason() {
    return guest.state().reason().orElseThrow(
        () -> new AssertionError("unknown reason: " + guest.state()));
  }

  @Test
  @Order(1)
  void startPausedThenResumeWithQemusReasons() {
    guest.start(Set.of(StartFlag.PAUSED));
    assertThat(reason()).isEqualTo(DomainStateReason.PAUSED_USER);
    assertThat(guest.info().state()).isEqualTo(DomainState.PAUSED);
    guest.resume();
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_UNPAUSED);
    assertThat(guest.controlInfo().state()).hasValue(ControlState.OK);
    assertThat(guest.ref().id()).isPresent();
  }

  @Test
  @Order(2)
  void aConfigChangeMakesTheGuestUpdated() {
    // QEMU keeps isUpdated false for a config-only change (observed on libvirt 9.0: the flag is
    // not raised by virDomainSetVcpusFlags with CONFIG): the call is checked, the proof of the
    // change is the two definitions differing
    assertThat(guest.isUpdated()).isFalse();
    guest.setVcpus(2, CONFIG);
    assertThat(guest.isUpdated()).isFalse();
    assertThat(guest.vcpus(CONFIG)).isEqualTo(2);
    assertThat(guest.vcpus(LIVE)).isEqualTo(1);
    assertThat(guest.vcpus(LIVE, Set.of(VcpuOption.MAXIMUM))).isEqualTo(2);
    guest.setVcpus(1, CONFIG);
  }

  @Test
  @Order(3)
  void blockInfoStatsPeekAndResizeOnTheRawDisk() {
    BlockInfo before = guest.blockInfo("vda");
    assertThat(before.capacity()).isEqualTo(DISK_BYTES);
    assertThat(guest.blockPeek("vda", 0, MARKER.length)).isEqualTo(MARKER);
    assertThat(guest.blockStats("vda").readRequests()).isGreaterThanOrEqualTo(0);
    guest.blockResizeBytes("vda", 2 * DISK_BYTES);
    assertThat(guest.blockInfo("vda").capacity()).isEqualTo(2 * DISK_BYTES);
    guest.blockResize("vda", 3 * DISK_BYTES / 1024); // KiB
    assertThat(guest.blockInfo(disk.toString()).capacity()).isEqualTo(3 * DISK_BYTES);
  }

  @Test
  @Order(4)
  void blockIoTuneThroughQemu() {
    guest.setBlockIoTune("vda", TypedParameters.builder()
        .set(BlockIoTuneParameter.TOTAL_BYTES_SEC, 10_000_000).build(), LIVE);
    TypedParameters p = guest.blockIoTune("vda", LIVE);
    assertThat(p.getLong(BlockIoTuneParameter.TOTAL_BYTES_SEC)).hasValue(10_000_000);
    assertThat(p.get(BlockIoTuneParameter.GROUP_NAME)).isPresent();
  }

  @Test
  @Order(5)
  void memoryPeekReadsTheBios() {
    byte[] bios = guest.memoryPeek(0xF0000, 256, MemoryAddressMode.PHYSICAL);
    assertThat(bios).hasSize(256);
    assertThat(bios).as("SeaBIOS is mapped there").isNotEqualTo(new byte[256]);
  }

  @Test
  @Order(6)
  void attachDetachAndUpdateDevices() {
    String vdb = "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        + "<source file='" + disk2 + "'/><target dev='vdb' bus='virtio'/></disk>";
    guest.attachDevice(vdb, LIVE);
    assertThat(guest.xml()).contains("<target dev='vdb'");
    assertThat(guest.blockInfo("vdb").capacity()).isEqualTo(DISK_BYTES);
    assertThat(guest.xml(Set.of(XmlFlag.INACTIVE))).doesNotContain("<target dev='vdb'");
    guest.attachDevice(vdb, CONFIG);
    assertThat(guest.xml(Set.of(XmlFlag.INACTIVE))).contains("<target dev='vdb'");
    guest.detachDevice(vdb, CONFIG);
    assertThat(guest.xml(Set.of(XmlFlag.INACTIVE))).doesNotContain("<target dev='vdb'");
    // a medium into the empty CD-ROM (no guest OS is needed for that)
    guest.updateDevice("<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        + "<source file='" + medium + "'/><target dev='hdc' bus='ide'/><readonly/></disk>", LIVE,
        true);
    assertThat(guest.xml()).contains("<source file='" + medium + "'");
    assertThatThrownBy(() -> guest.attachDevice("<disk>", LIVE))
        .isInstanceOf(LibvirtDomainException.class);
  }

  @Test
  @Order(7)
  void interfaceStatsAndParametersOfTheTap() {
    InterfaceStats s = guest.interfaceStats("vhdapi0");
    assertThat(s.rxBytes()).isGreaterThanOrEqualTo(0);
    assertThat(s.txPackets()).isGreaterThanOrEqualTo(0);
    assertThat(guest.interfaceParameters("vhdapi0", LIVE).get(InterfaceParameter.IN_AVERAGE))
        .isPresent();
  }

  @Test
  @Order(8)
  void memoryStatsFromTheBalloon() {
    MemoryStats m = guest.memoryStats();
    assertThat(m.get(MemoryStatTag.ACTUAL_BALLOON)).hasValue(65536);
    assertThat(m.get(MemoryStatTag.RSS)).isPresent();
    assertThat(guest.maxMemory()).isEqualTo(65536);
  }

  @Test
  @Order(9)
  void keysResetAndShutdownRequestsReachQemu() {
    guest.sendKey(KeycodeSet.LINUX, Duration.ofMillis(10), 28); // KEY_ENTER
    guest.sendKey(KeycodeSet.QNUM, Duration.ZERO, 0x1c);
    guest.reset();
    guest.reboot(Set.of(ShutdownMode.ACPI_POWER_BTN));
    guest.shutdown(Set.of(ShutdownMode.ACPI_POWER_BTN)); // SeaBIOS ignores it
    assertThat(guest.isActive()).isTrue();
  }

  @Test
  @Order(10)
  void whatNeedsTheGuestAgentIsRefusedWithLibvirtsCode() {
    assertThatThrownBy(() -> guest.pmSuspend(PmSuspendTarget.MEM, Duration.ZERO))
        .isInstanceOfSatisfying(LibvirtDomainException.class, e -> {
          assertThat(e.operation()).isEqualTo("virDomainPMSuspendForDuration(" + GUEST + ")");
          assertThat(e.code()).isPositive();
          assertThat(e.errorDomainName()).isEqualTo("VIR_FROM_QEMU");
        });
    // a guest that is not suspended: QEMU refuses system_wakeup, which libvirt 9.0 reports as an
    // internal error of the QEMU driver (observed; not OPERATION_INVALID)
    assertThatThrownBy(guest::pmWakeup).isInstanceOfSatisfying(LibvirtDomainException.class,
        e -> {
          assertThat(e.code()).isPositive();
          assertThat(e.errorDomainName()).isEqualTo("VIR_FROM_QEMU");
        });
    assertThatThrownBy(guest::hostname).isInstanceOfSatisfying(LibvirtDomainException.class,
        e -> assertThat(e.code()).isPositive());
    assertThat(guest.securityLabel()).isNotNull();
  }

  @Test
  @Order(11)
  void memoryOnlyCoreDumpIsAnElfFile() throws IOException {
    Path core = dir.resolve("vh-dapi.core");
    guest.coreDump(core, Set.of(DumpFlag.MEMORY_ONLY));
    byte[] head = new byte[4];
    try (var in = Files.newInputStream(core)) {
      assertThat(in.read(head)).isEqualTo(4);
    }
    assertThat(head).isEqualTo(new byte[] {0x7f, 'E', 'L', 'F'});
    assertThat(guest.isActive()).isTrue();
  }

  @Test
  @Order(12)
  void saveRestoreAndManagedSaveWithQemusReasons() {
    Path file = dir.resolve("vh-dapi.save");
    guest.save(file);
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_SAVED);
    domains.restore(file);
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_RESTORED);
    guest.managedSave();
    assertThat(guest.hasManagedSaveImage()).isTrue();
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_SAVED);
    guest.start();
    assertThat(reason()).isEqualTo(DomainStateReason.RUNNING_RESTORED);
    assertThat(guest.hasManagedSaveImage()).isFalse();
    guest.destroy();
    assertThat(reason()).isEqualTo(DomainStateReason.SHUTOFF_DESTROYED);
  }

  @Test
  @Order(13)
  void errorsCrossTheRpcWithTheDriversCodeAndDomain() {
    assertThatThrownBy(() -> domains.byName("vh-dapi-nobody"))
        .isInstanceOfSatisfying(LibvirtDomainException.class, e -> {
          assertThat(e.isNoDomain()).isTrue();
          assertThat(e.errorDomainName()).isEqualTo("VIR_FROM_QEMU");
        });
    assertThatThrownBy(guest::suspend).isInstanceOfSatisfying(LibvirtDomainException.class,
        e -> assertThat(e.code()).isEqualTo(LibvirtDomainException.OPERATION_INVALID));
  }

  @Test
  @Order(14)
  void aTransientGuestCreatedPausedIsGoneAfterDestroy() {
    String xml = guestXml(disk).replace(GUEST, "vh-dapi-2")
        .replace(GUEST_UUID.toString(), UUID.randomUUID().toString())
        .replaceAll("<disk.*</disk>\n", "").replaceAll("<interface.*</interface>\n", "");
    try (LibvirtDomain t = domains.create(xml, Set.of(StartFlag.PAUSED, StartFlag.AUTODESTROY))) {
      assertThat(t.isPersistent()).isFalse();
      assertThat(t.state().reason()).hasValue(DomainStateReason.PAUSED_USER);
      t.destroy();
    }
    assertThat(domains.find("vh-dapi-2")).isEmpty();
  }
}
