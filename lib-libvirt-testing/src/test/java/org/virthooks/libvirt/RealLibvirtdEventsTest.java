package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Operation;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.core.script.ScriptRunner;
import org.virthooks.core.testing.RecordingListener;
import org.virthooks.libvirt.testing.Libvirtd;

/**
 * Typed events on the wire, from a real libvirtd and a QEMU/TCG guest that sits in SeaBIOS (no
 * guest OS): everything that such a guest and the host's drivers can produce, each asserted as the
 * typed event it must become. One daemon and one guest for the class, because a daemon start
 * and the first define (QEMU probing) are slow here.
 *
 * <p>On the wire here: lifecycle (defined, started, suspended, resumed, stopped, undefined),
 * reboot (a reset), disk change (a CD-ROM whose source is missing at start, startup policy
 * optional), tray change (eject, insert), graphics (a VNC client doing the RFB handshake: connect,
 * initialize, disconnect, with both addresses and the auth scheme), metadata change, tunable
 * (vCPU pinning), device added / removed (a USB disk: its unplug needs no guest), storage pool
 * define / build / start / refresh / stop / delete / undefine, secret define / set value /
 * undefine, and every host event registered again after libvirtd is killed and restarted.
 *
 * <p>Not here, because they need a guest OS, hardware or a newer libvirt, and proven instead by
 * {@code CallbackSignatureTest} (every callback called through its native pointer with its C
 * signature): agent lifecycle (a guest agent), PM suspend / wakeup, RTC change, watchdog, I/O
 * errors, balloon change (the guest's balloon driver reports the new size), memory device size
 * change, device removal failed, memory failure (a host memory error), NIC MAC change (libvirt
 * 11.2) and network metadata change (9.8), migration iteration (a second host), node device
 * events (a device appearing on the host).
 *
 * <p>Block jobs on a second guest ({@value #BLK}: a qcow2 overlay on a qcow2 base, made with
 * qemu-img and qemu-io from Debian's qemu-utils): a block pull (BLOCK_JOB by the disk's path and
 * BLOCK_JOB_2 by its target, completed) that writes past the overlay's write threshold
 * (BLOCK_THRESHOLD with device, path, threshold and excess), a block copy with a pivot (ready,
 * then completed), and a push backup, the one job here that emits JOB_COMPLETED (see
 * {@link #aPushBackupCompletesAsATypedJob}), done and, aborted, failed. The block copy stands for
 * the jobs with a ready phase (an active commit has the same ready / pivot / completed events);
 * a migration's JOB_COMPLETED needs a second daemon.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class RealLibvirtdEventsTest {
  static final String GUEST = "vh-ev";
  static final UUID GUEST_UUID = UUID.fromString("5a1e0b7e-0000-4000-8000-00000000e001");
  static final String SECRET_UUID = "5a1e0b7e-0000-4000-8000-00000000e0aa";
  static final String POOL = "vh-ev-pool";
  /** The guest of the block tests: one virtio disk, a qcow2 overlay on a qcow2 base. */
  static final String BLK = "vh-blk";
  static final UUID BLK_UUID = UUID.fromString("5a1e0b7e-0000-4000-8000-00000000e002");
  static final long MIB = 1 << 20;
  static final Duration WAIT = Duration.ofSeconds(60);

  Path work;
  Libvirtd daemon;
  EventDispatcher events;
  LibvirtEventSource source;
  RecordingListener<VirtEvent> rec;
  final ScriptRunner runner = new ScriptRunner();

  String guestXml() {
    return "<domain type='qemu'>\n"
        + "  <name>" + GUEST + "</name>\n"
        + "  <uuid>" + GUEST_UUID + "</uuid>\n"
        + "  <memory unit='MiB'>64</memory>\n"
        + "  <vcpu>1</vcpu>\n"
        + "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
        + "  <features><acpi/></features>\n"
        + "  <devices>\n"
        + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
        + "    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        + "<source file='" + work.resolve("a.iso") + "'/><target dev='hdc' bus='ide'/>"
        + "<readonly/></disk>\n"
        + "    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        + "<source file='" + work.resolve("missing.iso") + "' startupPolicy='optional'/>"
        + "<target dev='hdd' bus='ide'/><readonly/></disk>\n"
        + "    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>\n"
        + "  </devices>\n"
        + "</domain>\n";
  }

  @BeforeAll
  void startDaemonAndFeed() throws Exception {
    work = Files.createTempDirectory("virthooks-events-test");
    work.toFile().setExecutable(true, false); // qemu may run as another user
    Files.write(work.resolve("a.iso"), new byte[1 << 20]);
    Files.write(work.resolve("b.iso"), new byte[1 << 20]);
    Files.write(work.resolve("usb.img"), new byte[1 << 20]);
    Libvirtd.killGuests("vh-");
    daemon = Libvirtd.start(Path.of("target", "libvirtd-logs").toAbsolutePath(),
        Duration.ofSeconds(30));
    virsh("destroy", GUEST);
    virsh("undefine", GUEST);
    virsh("destroy", BLK);
    virsh("undefine", BLK);
    virsh("pool-destroy", POOL);
    virsh("pool-undefine", POOL);
    virsh("secret-undefine", SECRET_UUID);
    events = EventDispatcher.create();
    rec = new RecordingListener<>();
    events.on(VirtEvent.class, rec);
    source = LibvirtEventSource.builder(Libvirtd.URI, events).build().start();
    assertThat(source.awaitConnected(Duration.ofSeconds(30))).as("connected").isTrue();
  }

  @AfterAll
  void stopEverything() throws Exception {
    try {
      if (source != null) {
        source.close();
      }
      if (daemon != null) {
        virsh("destroy", GUEST);
        virsh("undefine", GUEST);
        virsh("destroy", BLK);
        virsh("undefine", BLK);
        virsh("pool-destroy", POOL);
        virsh("pool-undefine", POOL);
        virsh("secret-undefine", SECRET_UUID);
        daemon.close();
      }
    } finally {
      Libvirtd.killGuests("vh-");
      if (events != null) {
        events.close();
      }
      runner.close();
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  ScriptResult virsh(String... args) throws IOException {
    return virshIn(null, args);
  }

  ScriptResult virshIn(String stdin, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("virsh", "-c", Libvirtd.URI));
    argv.addAll(Arrays.asList(args));
    return runner.run(new ScriptInvocation(argv, Map.of(), stdin == null ? null
        : stdin.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(120));
  }

  static ScriptResult ok(ScriptResult r) {
    assertThat(r.exitCode()).as("virsh failed: %s", r.stderr()).isZero();
    return r;
  }

  long lastSeq() {
    List<VirtEvent> all = rec.events();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  DomainEvent awaitDomain(long after, DomainEvent.Kind kind, Predicate<DomainEvent> more) {
    return (DomainEvent) rec.awaitMatch(e -> e.seq() > after && e instanceof DomainEvent d
        && d.domain().name().equals(GUEST) && d.kind() == kind && more.test(d), WAIT);
  }

  <P extends DomainPayload> P payload(DomainEvent e, Class<P> type) {
    return e.payload(type).orElseThrow(() -> new AssertionError("no payload: " + e));
  }

  List<ResourceEvent> resources(long after, ResourceType type, String name, int count) {
    Predicate<VirtEvent> p = e -> e.seq() > after && e instanceof ResourceEvent r
        && r.resource() == type && r.name().orElse("").equals(name);
    rec.awaitMatch(x -> rec.events().stream().filter(p).count() >= count, WAIT);
    return rec.events().stream().filter(p).map(e -> (ResourceEvent) e)
        .collect(Collectors.toList());
  }

  // ------------------------------------------------------------------ domain events

  @Test
  @Order(1)
  void startReportsTheMissingMediumAsATypedDiskChange() throws Exception {
    long s0 = lastSeq();
    ok(virshIn(guestXml(), "define", "/dev/stdin"));
    awaitDomain(s0, DomainEvent.Kind.DEFINED, d -> true);
    ok(virsh("start", GUEST));
    awaitDomain(s0, DomainEvent.Kind.STARTED, d -> d.detail().orElse("").equals("BOOTED"));
    DomainEvent dc = awaitDomain(s0, DomainEvent.Kind.DISK_CHANGE, d -> true);
    DomainPayload.DiskChange p = payload(dc, DomainPayload.DiskChange.class);
    assertThat(p.reason()).isEqualTo(DomainPayload.DiskChangeReason.MISSING_ON_START);
    assertThat(p.oldSource()).contains(work.resolve("missing.iso").toString());
    assertThat(p.newSource()).isEmpty();
    assertThat(p.alias()).isPresent();
    assertThat(dc.action()).isEqualTo("DISK_CHANGE");
    assertThat(dc.domain().uuid()).contains(GUEST_UUID);
    assertThat(EventJson.toJson(dc)).contains("\"kind\":\"disk-change\"")
        .contains("\"reason\":\"missing-on-start\"");
  }

  @Test
  @Order(2)
  void ejectAndInsertAreTypedTrayChanges() throws Exception {
    long s0 = lastSeq();
    ok(virsh("change-media", GUEST, "hdc", "--eject", "--live"));
    DomainEvent open = awaitDomain(s0, DomainEvent.Kind.TRAY_CHANGE, d -> true);
    assertThat(payload(open, DomainPayload.TrayChange.class).reason())
        .isEqualTo(DomainPayload.TrayReason.OPEN);
    assertThat(open.detail()).contains("OPEN");
    assertThat(payload(open, DomainPayload.TrayChange.class).alias()).isPresent();
    ok(virsh("change-media", GUEST, "hdc", work.resolve("b.iso").toString(), "--insert",
        "--live"));
    DomainEvent close = awaitDomain(open.seq(), DomainEvent.Kind.TRAY_CHANGE, d -> true);
    assertThat(payload(close, DomainPayload.TrayChange.class).reason())
        .isEqualTo(DomainPayload.TrayReason.CLOSE);
  }

  @Test
  @Order(3)
  void aVncClientIsSeenInEveryGraphicsPhaseWithBothAddresses() throws Exception {
    String display = ok(virsh("vncdisplay", GUEST)).stdout().trim(); // 127.0.0.1:0
    int port = 5900 + Integer.parseInt(display.substring(display.lastIndexOf(':') + 1));
    long s0 = lastSeq();
    int clientPort;
    try (Socket s = new Socket("127.0.0.1", port)) {
      clientPort = s.getLocalPort();
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      byte[] version = new byte[12];
      in.readFully(version);
      assertThat(new String(version, StandardCharsets.US_ASCII)).startsWith("RFB 003.");
      out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
      byte[] types = new byte[in.readUnsignedByte()];
      in.readFully(types);
      assertThat(types).as("security types offered").contains((byte) 1); // None
      out.write(1);
      assertThat(in.readInt()).as("security result").isZero();
      out.write(1); // ClientInit, shared
      out.flush();
      in.readFully(new byte[24]); // ServerInit: initialised
      awaitDomain(s0, DomainEvent.Kind.GRAPHICS, d -> d.detail().orElse("").equals("INITIALIZE"));
    }
    DomainEvent bye = awaitDomain(s0, DomainEvent.Kind.GRAPHICS,
        d -> d.detail().orElse("").equals("DISCONNECT"));
    List<DomainPayload.Graphics> phases = rec.events().stream()
        .filter(e -> e.seq() > s0 && e.seq() <= bye.seq() && e instanceof DomainEvent d
            && d.kind() == DomainEvent.Kind.GRAPHICS)
        .map(e -> payload((DomainEvent) e, DomainPayload.Graphics.class))
        .collect(Collectors.toList());
    assertThat(phases).extracting(DomainPayload.Graphics::phase).containsExactly(
        DomainPayload.GraphicsPhase.CONNECT, DomainPayload.GraphicsPhase.INITIALIZE,
        DomainPayload.GraphicsPhase.DISCONNECT);
    DomainPayload.Graphics init = phases.get(1);
    assertThat(init.local().orElseThrow().family()).isEqualTo(DomainPayload.AddressFamily.IPV4);
    assertThat(init.local().orElseThrow().node()).contains("127.0.0.1");
    assertThat(init.local().orElseThrow().service()).contains(Integer.toString(port));
    assertThat(init.remote().orElseThrow().node()).contains("127.0.0.1");
    assertThat(init.remote().orElseThrow().service()).contains(Integer.toString(clientPort));
    assertThat(init.authScheme()).contains("none");
  }

  @Test
  @Order(4)
  void resetMetadataTunableAndAUsbDiskPlugAndUnplug() throws Exception {
    long s0 = lastSeq();
    ok(virsh("reset", GUEST));
    awaitDomain(s0, DomainEvent.Kind.REBOOTED, d -> true);
    ok(virsh("desc", GUEST, "--live", "vh described"));
    DomainEvent md = awaitDomain(s0, DomainEvent.Kind.METADATA_CHANGE, d -> true);
    assertThat(payload(md, DomainPayload.MetadataChange.class).type())
        .isEqualTo(DomainPayload.MetadataType.DESCRIPTION);
    ok(virsh("vcpupin", GUEST, "0", "0", "--live"));
    ResourceEvent tun = (ResourceEvent) rec.awaitMatch(e -> e.seq() > s0
        && e instanceof ResourceEvent r && r.resource() == ResourceType.TUNABLE, WAIT);
    assertThat(tun.meta().attributes()).containsKey("cputune.vcpupin0");
    ok(virsh("attach-disk", GUEST, work.resolve("usb.img").toString(), "sdb", "--targetbus",
        "usb", "--live"));
    ResourceEvent added = (ResourceEvent) rec.awaitMatch(e -> e.seq() > s0
        && e instanceof ResourceEvent r && r.resource() == ResourceType.DEVICE
        && r.operation() == Operation.ADD, WAIT);
    ok(virsh("detach-disk", GUEST, "sdb", "--live"));
    ResourceEvent removed = (ResourceEvent) rec.awaitMatch(e -> e.seq() > added.seq()
        && e instanceof ResourceEvent r && r.resource() == ResourceType.DEVICE
        && r.operation() == Operation.REMOVE, WAIT);
    assertThat(removed.name()).isEqualTo(added.name()).isPresent();
    ok(virsh("suspend", GUEST));
    awaitDomain(s0, DomainEvent.Kind.SUSPENDED, d -> true);
    ok(virsh("resume", GUEST));
    awaitDomain(s0, DomainEvent.Kind.RESUMED, d -> true);
    ok(virsh("destroy", GUEST));
    awaitDomain(s0, DomainEvent.Kind.STOPPED, d -> d.detail().orElse("").equals("DESTROYED"));
    ok(virsh("undefine", GUEST));
    awaitDomain(s0, DomainEvent.Kind.UNDEFINED, d -> d.detail().orElse("").equals("REMOVED"));
  }

  // ------------------------------------------------------------------ host objects

  @Test
  @Order(5)
  void aStoragePoolsWholeLifeArrivesAsResourceEvents() throws Exception {
    long s0 = lastSeq();
    Path dir = work.resolve("pool");
    ok(virshIn("<pool type='dir'><name>" + POOL + "</name><target><path>" + dir
        + "</path></target></pool>", "pool-define", "/dev/stdin"));
    ok(virsh("pool-build", POOL));
    ok(virsh("pool-start", POOL));
    ok(virsh("pool-refresh", POOL));
    ok(virsh("pool-destroy", POOL));
    ok(virsh("pool-delete", POOL));
    ok(virsh("pool-undefine", POOL));
    List<ResourceEvent> got = resources(s0, ResourceType.STORAGE_POOL, POOL, 7);
    assertThat(got).extracting(ResourceEvent::kindName).containsExactly("add-storage-pool",
        "create-storage-pool", "start-storage-pool", "refresh-storage-pool", "stop-storage-pool",
        "delete-storage-pool", "remove-storage-pool");
    assertThat(got).allSatisfy(e -> assertThat(e.meta().attributes()).containsKey("uuid"));
  }

  @Test
  @Order(6)
  void aSecretsDefinitionValueAndRemovalArriveAsResourceEvents() throws Exception {
    long s0 = lastSeq();
    ok(virshIn("<secret ephemeral='no' private='yes'><uuid>" + SECRET_UUID + "</uuid>"
        + "<usage type='volume'><volume>" + work.resolve("v.img") + "</volume></usage></secret>",
        "secret-define", "/dev/stdin"));
    ok(virsh("secret-set-value", SECRET_UUID, "c2VjcmV0"));
    ok(virsh("secret-undefine", SECRET_UUID));
    List<ResourceEvent> got = resources(s0, ResourceType.SECRET, SECRET_UUID, 3);
    assertThat(got).extracting(ResourceEvent::kindName).containsExactly("add-secret",
        "set-secret", "remove-secret");
    assertThat(got.get(1).meta().attributes()).containsEntry("usageType", "volume")
        .containsEntry("usageId", work.resolve("v.img").toString());
  }

  @Test
  @Order(7)
  void everyHostEventIsRegisteredAgainAfterTheDaemonIsKilled() throws Exception {
    assertThat(source.registeredHostIds()).contains(HostEventId.NETWORK_LIFECYCLE,
        HostEventId.STORAGE_POOL_LIFECYCLE, HostEventId.STORAGE_POOL_REFRESH,
        HostEventId.NODE_DEVICE_LIFECYCLE, HostEventId.NODE_DEVICE_UPDATE,
        HostEventId.SECRET_LIFECYCLE, HostEventId.SECRET_VALUE_CHANGED);
    assertThat(source.refusedHostIds()).containsExactly(HostEventId.NETWORK_METADATA_CHANGE);
    long s0 = lastSeq();
    daemon.kill(Duration.ofSeconds(10));
    daemon.startDaemon(Duration.ofSeconds(30));
    rec.awaitMatch(e -> e.seq() > s0 && e instanceof SourceEvent s
        && s.kind() == SourceEvent.Kind.CONNECTION_RESTORED, WAIT);
    assertThat(source.registeredHostIds()).contains(HostEventId.STORAGE_POOL_LIFECYCLE,
        HostEventId.SECRET_LIFECYCLE, HostEventId.NODE_DEVICE_LIFECYCLE);
    long s1 = lastSeq();
    ok(virshIn("<pool type='dir'><name>" + POOL + "</name><target><path>"
        + work.resolve("pool2") + "</path></target></pool>", "pool-define", "/dev/stdin"));
    ok(virsh("pool-undefine", POOL));
    assertThat(resources(s1, ResourceType.STORAGE_POOL, POOL, 2))
        .extracting(ResourceEvent::kindName).containsExactly("add-storage-pool",
            "remove-storage-pool");
  }

  // ------------------------------------------------------------------ block jobs

  Path blk(String file) {
    return work.resolve("blk").resolve(file);
  }

  String blockGuestXml() {
    return "<domain type='qemu'>\n"
        + "  <name>" + BLK + "</name>\n"
        + "  <uuid>" + BLK_UUID + "</uuid>\n"
        + "  <memory unit='MiB'>64</memory>\n"
        + "  <vcpu>1</vcpu>\n"
        + "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
        + "  <devices>\n"
        + "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
        + "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        + "<source file='" + blk("overlay.qcow2") + "'/><target dev='vda' bus='virtio'/></disk>\n"
        + "    <memballoon model='none'/>\n"
        + "  </devices>\n"
        + "</domain>\n";
  }

  void run(String... argv) throws IOException {
    ScriptResult r = runner.run(new ScriptInvocation(List.of(argv), Map.of(), null),
        Duration.ofSeconds(60));
    assertThat(r.exitCode()).as("%s failed: %s", argv[0], r.stderr()).isZero();
  }

  ProgressEvent awaitProgress(long after, String action, Predicate<ProgressEvent> more) {
    return (ProgressEvent) rec.awaitMatch(e -> e.seq() > after && e instanceof ProgressEvent p
        && p.domain().map(d -> d.name().equals(BLK)).orElse(false) && p.action().equals(action)
        && more.test(p), WAIT);
  }

  /**
   * A block pull of 64 MiB from the base into the overlay: BLOCK_JOB (the disk by its path) and
   * BLOCK_JOB_2 (by its target) completed, and the overlay's write threshold of 1 MiB passed.
   */
  @Test
  @Order(8)
  void aBlockPullIsATypedBlockJobAndPassesTheOverlaysThreshold() throws Exception {
    Files.createDirectories(work.resolve("blk"));
    // libvirt creates the copy's and the backup's files; QEMU (libvirt-qemu) writes them
    work.resolve("blk").toFile().setWritable(true, false);
    work.resolve("blk").toFile().setExecutable(true, false);
    run("qemu-img", "create", "-q", "-f", "qcow2", blk("base.qcow2").toString(), "128M");
    // data in the base, so that the pull has something to write into the overlay
    run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 64M", blk("base.qcow2").toString());
    run("qemu-img", "create", "-q", "-f", "qcow2", "-b", blk("base.qcow2").toString(), "-F",
        "qcow2", blk("overlay.qcow2").toString());
    assertThat(Files.size(blk("overlay.qcow2"))).as("the overlay before the pull").isLessThan(MIB);
    long s0 = lastSeq();
    ok(virshIn(blockGuestXml(), "define", "/dev/stdin"));
    ok(virsh("start", BLK));
    rec.awaitMatch(e -> e.seq() > s0 && e instanceof DomainEvent d && d.domain().name().equals(BLK)
        && d.kind() == DomainEvent.Kind.STARTED, WAIT);
    ok(virsh("domblkthreshold", BLK, "vda", Long.toString(MIB)));
    long s1 = lastSeq();
    ok(virsh("blockpull", BLK, "vda", "--wait"));

    ProgressEvent v1 = awaitProgress(s1, "BLOCK_JOB/COMPLETED", p -> true);
    assertThat(v1.kind()).isEqualTo(ProgressEvent.Kind.BLOCK_JOB);
    assertThat(v1.status()).isEqualTo(ProgressEvent.Status.DONE);
    assertThat(v1.percent()).hasValue(100);
    assertThat(v1.meta().attributes()).containsEntry("type", "PULL")
        .containsEntry("disk", blk("overlay.qcow2").toString());
    ProgressEvent v2 = awaitProgress(s1, "BLOCK_JOB_2/COMPLETED", p -> true);
    assertThat(v2.kind()).isEqualTo(ProgressEvent.Kind.BLOCK_JOB);
    assertThat(v2.status()).isEqualTo(ProgressEvent.Status.DONE);
    assertThat(v2.domain().orElseThrow().uuid()).contains(BLK_UUID);
    assertThat(v2.meta().attributes()).containsEntry("type", "PULL").containsEntry("disk", "vda");
    assertThat(EventJson.toJson(v2)).contains("\"kind\":\"block-job\"")
        .contains("\"status\":\"done\"");

    DomainEvent th = (DomainEvent) rec.awaitMatch(e -> e.seq() > s1 && e instanceof DomainEvent d
        && d.domain().name().equals(BLK) && d.kind() == DomainEvent.Kind.BLOCK_THRESHOLD, WAIT);
    DomainPayload.BlockThreshold p = payload(th, DomainPayload.BlockThreshold.class);
    assertThat(p.device()).isEqualTo("vda");
    assertThat(p.path()).contains(blk("overlay.qcow2").toString());
    assertThat(p.threshold()).isEqualTo(MIB);
    // the pull writes 64 MiB of data clusters past the overlay's metadata
    assertThat(p.excess()).isPositive().isLessThanOrEqualTo(64 * MIB);
    assertThat(th.detail()).contains("vda");
    assertThat(EventJson.toJson(th)).contains("\"kind\":\"block-threshold\"")
        .contains("\"threshold\":" + MIB);
  }

  /** A block copy with a pivot: ready (ongoing, 100 %), then completed, typed COPY. */
  @Test
  @Order(9)
  void aBlockCopyIsReadyThenCompletedAfterThePivot() throws Exception {
    long s0 = lastSeq();
    ok(virsh("blockcopy", BLK, "vda", "--dest", blk("copy.qcow2").toString(), "--format",
        "qcow2", "--transient-job", "--wait", "--pivot"));
    ProgressEvent ready = awaitProgress(s0, "BLOCK_JOB_2/READY", p -> true);
    assertThat(ready.status()).isEqualTo(ProgressEvent.Status.ONGOING);
    assertThat(ready.percent()).hasValue(100);
    assertThat(ready.meta().attributes()).containsEntry("type", "COPY")
        .containsEntry("disk", "vda");
    ProgressEvent done = awaitProgress(ready.seq(), "BLOCK_JOB_2/COMPLETED", p -> true);
    assertThat(done.status()).isEqualTo(ProgressEvent.Status.DONE);
    assertThat(done.meta().attributes()).containsEntry("type", "COPY");
    assertThat(ok(virsh("domblklist", BLK)).stdout()).contains(blk("copy.qcow2").toString());
  }

  /**
   * JOB_COMPLETED: in libvirt 9.0's QEMU driver only a migration (source and destination) and a
   * backup job emit it (qemuDomainEventEmitJobCompleted's callers: qemu_migration.c and
   * qemuBackupJobTerminate; save, dump and snapshot jobs do not). A push backup of the disk to a
   * file is the one this host can run alone.
   */
  @Test
  @Order(10)
  void aPushBackupCompletesAsATypedJob() throws Exception {
    long s0 = lastSeq();
    ok(virshIn("<domainbackup mode='push'><disks><disk name='vda' type='file'>"
        + "<target file='" + blk("backup.qcow2") + "'/><driver type='qcow2'/></disk></disks>"
        + "</domainbackup>", "backup-begin", BLK, "/dev/stdin"));
    ProgressEvent job = awaitProgress(s0, "JOB_COMPLETED", p -> true);
    assertThat(job.kind()).isEqualTo(ProgressEvent.Kind.JOB);
    assertThat(job.status()).isEqualTo(ProgressEvent.Status.DONE);
    assertThat(job.percent()).hasValue(100);
    assertThat(job.meta().attributes()).containsKey("operation");
    assertThat(EventJson.toJson(job)).contains("\"kind\":\"job\"");
    assertThat(job.meta().attributes()).containsEntry("operation", "9") // BACKUP
        .containsEntry("success", "true");
    assertThat(Files.size(blk("backup.qcow2"))).isGreaterThan(64 * MIB);
  }

  /**
   * The libvirt calls an aborted backup needs, back to back on one connection (libvirt-java 0.5.4
   * binds neither, and virsh's process start would let the backup finish first).
   */
  interface BackupCalls extends Library {
    Pointer virConnectOpen(String uri);

    Pointer virDomainLookupByName(Pointer conn, String name);

    int virDomainBackupBegin(Pointer dom, String backupXml, String checkpointXml, int flags);

    int virDomainAbortJob(Pointer dom);

    int virDomainFree(Pointer dom);

    int virConnectClose(Pointer conn);
  }

  /**
   * A backup aborted while it runs still emits JOB_COMPLETED, with {@code success=false} and an
   * {@code errmsg}: typed as failed. The abort follows the begin on the same connection, within
   * microseconds; the 64 MiB copy takes QEMU far longer (a 16 MiB backup took 86 ms here), so
   * the job is still running. Should it ever win the race, virDomainAbortJob fails and so does this.
   */
  @Test
  @Order(11)
  void anAbortedBackupIsAFailedJob() throws Exception {
    BackupCalls lib = Native.load("virt", BackupCalls.class);
    Pointer conn = lib.virConnectOpen(Libvirtd.URI);
    assertThat(conn).as("virConnectOpen").isNotNull();
    long s0 = lastSeq();
    try {
      Pointer dom = lib.virDomainLookupByName(conn, BLK);
      assertThat(dom).as("virDomainLookupByName").isNotNull();
      try {
        assertThat(lib.virDomainBackupBegin(dom, "<domainbackup mode='push'><disks>"
            + "<disk name='vda' type='file'><target file='" + blk("aborted.qcow2") + "'/>"
            + "<driver type='qcow2'/></disk></disks></domainbackup>", null, 0))
            .as("virDomainBackupBegin").isZero();
        assertThat(lib.virDomainAbortJob(dom)).as("virDomainAbortJob while the backup runs")
            .isZero();
      } finally {
        lib.virDomainFree(dom);
      }
    } finally {
      lib.virConnectClose(conn);
    }
    ProgressEvent job = awaitProgress(s0, "JOB_COMPLETED", p -> true);
    assertThat(job.kind()).isEqualTo(ProgressEvent.Kind.JOB);
    assertThat(job.status()).as("%s", job.meta().attributes())
        .isEqualTo(ProgressEvent.Status.FAILED);
    assertThat(job.percent()).isEmpty();
    assertThat(job.meta().attributes()).containsEntry("operation", "9")
        .containsEntry("success", "false").containsKey("errmsg");
    assertThat(EventJson.toJson(job)).contains("\"status\":\"failed\"");
    ok(virsh("destroy", BLK));
    ok(virsh("undefine", BLK));
  }
}
