package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.core.script.ScriptRunner;
import org.virthooks.core.testing.RecordingListener;
import org.virthooks.libvirt.testing.Libvirtd;
import org.virthooks.libvirt.testing.TestDomains;

/**
 * Against a real libvirtd (started here as root, without systemd) and QEMU under TCG: the event
 * source through a guest's life and a daemon crash, and our hook scripts installed in both modes
 * (relay: the Perl client into a relay server in this JVM; jvm: a fresh JVM per call). One
 * daemon for the whole class, because the first define probes QEMU for tens of seconds.
 *
 * <p>Both scripts sit in each driver's {@code .d} directory, so every call reaches both modes;
 * the control files of {@link RecordingTestHooks} make one mode refuse, hang or rewrite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class RealLibvirtdTest {
  static final Path HOOKS = LibvirtHookInstaller.DEFAULT_HOOKS_DIR;
  static final String RELAY_NAME = "50-virthooks-test-relay";
  static final String JVM_NAME = "60-virthooks-test-jvm";
  static final List<HookDriver> DRIVERS = List.of(HookDriver.QEMU, HookDriver.NETWORK,
      HookDriver.DAEMON);
  static final String GUEST = "vh-g1";
  static final UUID GUEST_UUID = UUID.fromString("5a1e0b7e-0000-4000-8000-00000000a001");
  static final String NET = "vh-net";
  static final Duration DEADLINE = Duration.ofSeconds(3);

  Path work;
  final List<Path> madeDirs = new ArrayList<>();
  List<String> startupCalls;
  Path control;
  Libvirtd daemon;
  RelayServer relay;
  HookRegistry relayHooks;
  EventDispatcher events;
  LibvirtEventSource source;
  RecordingListener<VirtEvent> rec;
  RecordingListener<VirtEvent> hookRec;
  final ScriptRunner runner = new ScriptRunner();

  @BeforeAll
  void startDaemonWithHooks() throws Exception {
    work = Files.createTempDirectory("virthooks-libvirtd-test");
    control = Files.createDirectory(work.resolve("control"));
    System.setProperty("virthooks.test.control", control.toString());
    Libvirtd.killGuests("vh-"); // a previous run's leftovers, if it died
    relayHooks = HookRegistry.withDefaultDeadline(DEADLINE);
    new RecordingTestHooks().register(relayHooks);
    events = EventDispatcher.create();
    Path sock = work.resolve("relay.sock");
    relay = RelayServer.builder(sock, LibvirtHookRunner.of(relayHooks, events)).start();
    List<String> jvm = List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        "-Dvirthooks.test.control=" + control, "-Dvirthooks.test.mode=jvm",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        LibvirtHookMain.class.getName(), "--deadline", Long.toString(DEADLINE.toSeconds()), "--");
    for (HookDriver d : DRIVERS) {
      Path dotD = HOOKS.resolve(d.scriptName() + ".d");
      if (!Files.exists(dotD)) {
        madeDirs.add(dotD);
      }
      LibvirtHookInstaller.installRelay(HOOKS, d, RELAY_NAME, sock, UnreachablePolicy.PROCEED,
          Duration.ofSeconds(30));
      LibvirtHookInstaller.installJvm(HOOKS, d, JVM_NAME, jvm);
    }
    daemon = Libvirtd.start(Path.of("target", "libvirtd-logs").toAbsolutePath(),
        Duration.ofSeconds(30));
    virsh("destroy", GUEST);
    virsh("net-destroy", NET);
    virsh("net-undefine", NET);
    ok(virshIn(TestDomains.tinyQemuGuest(GUEST, GUEST_UUID), "define", "/dev/stdin"));
    startupCalls = awaitCalls(Duration.ofSeconds(15), "relay after:daemon.start - - start");
    startupCalls = awaitCalls(Duration.ofSeconds(15), "jvm after:daemon.start - - start");
    rec = new RecordingListener<>();
    events.on(VirtEvent.class, e -> e.source().instance().equals(Libvirtd.URI), rec);
    hookRec = new RecordingListener<>();
    events.on(VirtEvent.class, e -> e.source().instance().equals("hooks"), hookRec);
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
        virsh("net-destroy", NET);
        virsh("net-undefine", NET);
        daemon.close();
      }
    } finally {
      Libvirtd.killGuests("vh-");
      if (relay != null) {
        relay.close();
      }
      if (relayHooks != null) {
        relayHooks.close();
      }
      if (events != null) {
        events.close();
      }
      for (HookDriver d : DRIVERS) {
        LibvirtHookInstaller.uninstall(HOOKS, d, RELAY_NAME);
        LibvirtHookInstaller.uninstall(HOOKS, d, JVM_NAME);
      }
      for (Path dir : madeDirs) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isEmpty()) {
            Files.delete(dir);
          }
        }
      }
      runner.close();
      System.clearProperty("virthooks.test.control");
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  ScriptResult virsh(String... args) throws IOException {
    return virshIn(null, args);
  }

  ScriptResult virshIn(String stdin, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("virsh", "-c", Libvirtd.URI));
    argv.addAll(Arrays.asList(args));
    long t0 = System.nanoTime();
    ScriptResult r = runner.run(new ScriptInvocation(argv, Map.of(), stdin == null ? null
        : stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)), Duration.ofSeconds(120));
    System.out.printf("virsh %s: exit %d in %d ms%n", String.join(" ", args), r.exitCode(),
        (System.nanoTime() - t0) / 1_000_000);
    return r;
  }

  static ScriptResult ok(ScriptResult r) {
    assertThat(r.exitCode()).as("virsh failed: %s", r.stderr()).isZero();
    return r;
  }

  List<String> calls() throws IOException {
    Path log = control.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** Waits until the call log has a line containing every fragment, in that order of lines. */
  List<String> awaitCalls(Duration timeout, String... lines) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> all = calls();
      int i = 0;
      for (String l : all) {
        if (i < lines.length && l.startsWith(lines[i])) {
          i++;
        }
      }
      if (i == lines.length) {
        return all;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("hook calls " + Arrays.toString(lines) + " not seen within "
            + timeout + "; log:\n" + String.join("\n", all));
      }
      Thread.sleep(50);
    }
  }

  void clearCalls() throws IOException {
    Files.deleteIfExists(control.resolve("calls.log"));
  }

  DomainEvent awaitDomain(String name, DomainEvent.Kind kind, String detail, long afterSeq) {
    return (DomainEvent) rec.awaitMatch(e -> e instanceof DomainEvent d && e.seq() > afterSeq
        && d.domain().name().equals(name) && d.kind() == kind
        && d.detail().orElse("").equals(detail), Duration.ofSeconds(60));
  }

  long lastSeq() {
    List<VirtEvent> all = rec.events();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
  }

  void control(String file, String content) throws IOException {
    Files.writeString(control.resolve(file), content);
  }

  void uncontrol(String file) throws IOException {
    Files.deleteIfExists(control.resolve(file));
  }

  // ------------------------------------------------------------------ events

  @Test
  @Order(1)
  void guestLifecycleArrivesAsTypedEventsAndCallsHooksInBothModes() throws Exception {
    assertThat(source.registeredIds()).contains(DomainEventId.LIFECYCLE, DomainEventId.REBOOT,
        DomainEventId.DEVICE_ADDED, DomainEventId.MIGRATION_ITERATION);
    clearCalls();
    long s0 = lastSeq();
    ok(virsh("start", GUEST));
    DomainEvent started = awaitDomain(GUEST, DomainEvent.Kind.STARTED, "BOOTED", s0);
    assertThat(started.domain().uuid()).contains(GUEST_UUID);
    assertThat(started.domain().id()).isPresent();
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(10),
          mode + " before:domain.prepare " + GUEST + " " + GUEST_UUID,
          mode + " before:domain.start " + GUEST + " " + GUEST_UUID,
          mode + " before:domain.started " + GUEST + " " + GUEST_UUID);
    }
    // the relayed calls were also published as hook-point events
    DomainEvent preparing = (DomainEvent) hookRec.awaitMatch(e -> e instanceof DomainEvent d
        && d.kind() == DomainEvent.Kind.PREPARING && d.domain().name().equals(GUEST),
        Duration.ofSeconds(5));
    assertThat(preparing.domain().uuid()).contains(GUEST_UUID);
    assertThat(preparing.meta().attributes()).containsEntry("verdict", "proceed");
    long s1 = started.seq();
    ok(virsh("suspend", GUEST));
    DomainEvent suspended = awaitDomain(GUEST, DomainEvent.Kind.SUSPENDED, "PAUSED", s1);
    ok(virsh("resume", GUEST));
    DomainEvent resumed = awaitDomain(GUEST, DomainEvent.Kind.RESUMED, "UNPAUSED", suspended.seq());
    Path image = work.resolve("g1.save");
    clearCalls();
    ok(virsh("save", GUEST, image.toString()));
    DomainEvent saved = awaitDomain(GUEST, DomainEvent.Kind.STOPPED, "SAVED", resumed.seq());
    ok(virsh("restore", image.toString()));
    DomainEvent restored = awaitDomain(GUEST, DomainEvent.Kind.STARTED, "RESTORED", saved.seq());
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(10), mode + " after:domain.stopped " + GUEST,
          mode + " after:domain.release " + GUEST, mode + " filter:domain.restore " + GUEST);
    }
    clearCalls();
    ok(virsh("destroy", GUEST));
    DomainEvent destroyed = awaitDomain(GUEST, DomainEvent.Kind.STOPPED, "DESTROYED",
        restored.seq());
    assertThat(destroyed.action()).isEqualTo("LIFECYCLE/STOPPED/DESTROYED");
    assertThat(destroyed.meta().attributes()).containsEntry("event", "5")
        .containsEntry("detail", "1");
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(10), mode + " after:domain.stopped " + GUEST + " " + GUEST_UUID,
          mode + " after:domain.release " + GUEST + " " + GUEST_UUID);
    }
    Files.deleteIfExists(image);
  }

  // ------------------------------------------------------------------ hooks, per mode

  /**
   * A refusal at start, and at started: libvirt checks the {@code started} hook too
   * (qemu_process.c, qemuProcessFinishStartup returns -1 when it fails), where QEMU already
   * runs; libvirt stops it again. Either way stopped and release follow, the start fails with
   * the hook's message and the guest is shut off.
   */
  @ParameterizedTest
  @CsvSource({"relay, start", "jvm, start", "relay, started", "jvm, started"})
  @Order(2)
  void refusingHookFailsTheStartWithItsMessageAndStillGetsStoppedAndRelease(String mode,
      String op) throws Exception {
    clearCalls();
    String msg = "vh " + mode + " says at " + op + ": over the memory budget";
    control("refuse-" + op + "-" + mode, msg);
    try {
      ScriptResult r = virsh("start", GUEST);
      assertThat(r.exitCode()).isNotZero();
      assertThat(r.stderr()).contains(msg).contains("Hook script execution failed");
    } finally {
      uncontrol("refuse-" + op + "-" + mode);
    }
    List<String> expected = new ArrayList<>(List.of(mode + " before:domain.start " + GUEST));
    if (op.equals("started")) {
      expected.add(mode + " before:domain.started " + GUEST);
    }
    expected.addAll(List.of(mode + " after:domain.stopped " + GUEST,
        mode + " after:domain.release " + GUEST));
    awaitCalls(Duration.ofSeconds(15), expected.toArray(String[]::new));
    assertThat(virsh("domstate", GUEST).stdout()).contains("shut off");
  }

  @Test
  @Order(3)
  void restoreFilterRewritesTheXmlThatLibvirtRunsInBothModes() throws Exception {
    // one restore for both modes: libvirt takes ~40 s extra whenever a hook rewrites the XML;
    // the relay script (50-) runs first, the jvm one (60-) gets its output on stdin
    ok(virsh("start", GUEST));
    Path image = work.resolve("g1-filter.save");
    ok(virsh("save", GUEST, image.toString()));
    control("rewrite-restore-relay", "by-relay");
    control("rewrite-restore-jvm", "by-jvm");
    try {
      ok(virsh("restore", image.toString()));
    } finally {
      uncontrol("rewrite-restore-relay");
      uncontrol("rewrite-restore-jvm");
    }
    assertThat(ok(virsh("dumpxml", GUEST)).stdout())
        .contains("<description>by-relay by-jvm</description>");
    ok(virsh("destroy", GUEST));
    Files.deleteIfExists(image);
  }

  @ParameterizedTest
  @ValueSource(strings = {"relay", "jvm"})
  @Order(4)
  void hangingHookIsCutAtItsDeadlineAndLibvirtGetsTheRefusalInTime(String mode) throws Exception {
    clearCalls();
    control("hang-prepare-" + mode, "");
    long t0 = System.nanoTime();
    ScriptResult r;
    try {
      r = virsh("start", GUEST);
    } finally {
      uncontrol("hang-prepare-" + mode);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("did not answer within its deadline of 3 s");
    // the 3 s deadline plus the other calls of this start (stopped, release; JVM start-ups in
    // jvm mode, on a loaded machine): far from the 120 s the hook would hang
    assertThat(took).isLessThan(Duration.ofSeconds(30));
    assertThat(virsh("domstate", GUEST).stdout()).contains("shut off");
  }

  @Test
  @Order(5)
  void networkHooksAndEventsOnAnIsolatedNetwork() throws Exception {
    // the port comes from hot-plugging an interface into the running guest: a second guest
    // would cost another define, which re-probes QEMU here for ~30 s
    virsh("destroy", GUEST); // whatever an earlier failure left running
    clearCalls();
    long s0 = lastSeq();
    ok(virshIn(TestDomains.isolatedNetwork(NET, "vhbr-test"), "net-define", "/dev/stdin"));
    ok(virsh("net-start", NET));
    ok(virsh("start", GUEST));
    ok(virsh("attach-interface", GUEST, "network", NET, "--model", "virtio", "--live"));
    ok(virsh("destroy", GUEST));
    ok(virsh("net-destroy", NET));
    ok(virsh("net-undefine", NET));
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(15), mode + " before:network.start " + NET,
          mode + " before:network.started " + NET, mode + " before:network.port-created " + NET,
          mode + " after:network.port-deleted " + NET, mode + " after:network.stopped " + NET);
    }
    Predicate<VirtEvent> net = e -> e instanceof ResourceEvent r && e.seq() > s0
        && r.resource() == ResourceType.NETWORK && r.name().orElse("").equals(NET);
    for (Operation op : List.of(Operation.ADD, Operation.START, Operation.STOP, Operation.REMOVE)) {
      ResourceEvent e = (ResourceEvent) rec.awaitMatch(net.and(
          x -> ((ResourceEvent) x).operation() == op), Duration.ofSeconds(10));
      assertThat(e.meta().attributes()).containsKey("uuid");
    }
    assertThat(rec.events().stream().filter(net).map(e -> ((ResourceEvent) e).operation())
        .collect(Collectors.toList())).containsExactly(Operation.ADD, Operation.START,
            Operation.STOP, Operation.REMOVE);
    // the hot-plugged NIC also came as a device event
    rec.awaitMatch(e -> e instanceof ResourceEvent r && e.seq() > s0
        && r.resource() == ResourceType.DEVICE && r.operation() == Operation.ADD,
        Duration.ofSeconds(10));
  }

  // ------------------------------------------------------------------ daemon restarts

  @Test
  @Order(6)
  void daemonHookSeesStartReloadAndShutdown() throws Exception {
    // libvirtd ran the daemon hook when the class started it
    assertThat(startupCalls).contains("relay after:daemon.start - - start",
        "jvm after:daemon.start - - start");
    clearCalls();
    daemon.sighup();
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(15), mode + " after:daemon.reload - - SIGHUP");
    }
    clearCalls();
    daemon.stopDaemon(Duration.ofSeconds(30));
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(5), mode + " after:daemon.shutdown - - shutdown");
    }
    clearCalls();
    daemon.startDaemon(Duration.ofSeconds(30));
    for (String mode : List.of("relay", "jvm")) {
      awaitCalls(Duration.ofSeconds(15), mode + " after:daemon.start - - start");
    }
    // the source lived through it
    rec.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.RESYNCHRONISED,
        Duration.ofSeconds(15));
  }

  @Test
  @Order(7)
  void reconnectsReregistersAndResynchronisesAfterLibvirtdIsKilled() throws Exception {
    // the loop thread exists already; count the source's own threads around a fresh source
    List<String> before = virthooksThreads(source.instanceId());
    RecordingListener<VirtEvent> r2 = new RecordingListener<>();
    try (EventDispatcher d2 = EventDispatcher.create();
         LibvirtEventSource s2 = LibvirtEventSource.builder(Libvirtd.URI, d2)
             .enrich(true).build().start()) {
      assertThat(s2.awaitConnected(Duration.ofSeconds(30))).as("connected").isTrue();
      d2.on(VirtEvent.class, r2);
      virsh("destroy", GUEST); // whatever an earlier failure left running
      ok(virsh("start", GUEST));
      r2.awaitMatch(e -> e instanceof DomainEvent d && d.kind() == DomainEvent.Kind.STARTED,
          Duration.ofSeconds(30));
      DomainEvent enriched = (DomainEvent) r2.awaitMatch(e -> e instanceof DomainEvent d
          && d.kind() == DomainEvent.Kind.STARTED, Duration.ofSeconds(1));
      assertThat(LibvirtEventSource.status(enriched)).isPresent();
      assertThat(LibvirtEventSource.info(enriched).orElseThrow().vcpus()).isEqualTo(1);
      long killedAt = System.nanoTime();
      daemon.kill(Duration.ofSeconds(10));
      r2.awaitMatch(e -> e instanceof SourceEvent s && s.kind() == SourceEvent.Kind.CONNECTION_LOST,
          Duration.ofSeconds(10));
      daemon.startDaemon(Duration.ofSeconds(30));
      long restartedAt = System.nanoTime();
      // every connect resynchronises, the first one too: look at what follows the restore
      long restoredSeq = r2.awaitMatch(e -> e instanceof SourceEvent s
          && s.kind() == SourceEvent.Kind.CONNECTION_RESTORED, Duration.ofSeconds(10)).seq();
      SourceEvent resync = (SourceEvent) r2.awaitMatch(e -> e instanceof SourceEvent s
          && s.kind() == SourceEvent.Kind.RESYNCHRONISED && e.seq() > restoredSeq,
          Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - restartedAt)).isLessThan(
          Duration.ofSeconds(10));
      assertThat(s2.reconnections()).isEqualTo(1);
      assertThat(s2.registeredIds()).contains(DomainEventId.LIFECYCLE);
      DomainEvent listed = (DomainEvent) r2.awaitMatch(e -> e instanceof DomainEvent d
          && d.action().startsWith("RESYNC/") && d.domain().name().equals(GUEST)
          && e.seq() > restoredSeq, Duration.ofSeconds(1));
      assertThat(listed.seq()).isLessThan(resync.seq());
      assertThat(listed.kind()).isEqualTo(DomainEvent.Kind.STARTED);
      assertThat(listed.meta().attributes()).containsEntry("stateName", "RUNNING")
          .containsEntry("resync", "true");
      assertThat(listed.domain().uuid()).contains(GUEST_UUID);
      // events flow again, each once
      long mark = resync.seq();
      ok(virsh("suspend", GUEST));
      r2.awaitMatch(e -> e.seq() > mark && e instanceof DomainEvent d
          && d.kind() == DomainEvent.Kind.SUSPENDED, Duration.ofSeconds(10));
      Thread.sleep(1000);
      assertThat(r2.events().stream().filter(e -> e.seq() > mark && e instanceof DomainEvent d
          && d.kind() == DomainEvent.Kind.SUSPENDED)).hasSize(1);
      assertThat(r2.events()).extracting(VirtEvent::seq).doesNotHaveDuplicates().isSorted();
      assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(
          Duration.ofSeconds(60));
      ok(virsh("destroy", GUEST));
    }
    // s2's own threads are gone; the class's source may have started its reconnect thread
    assertThat(virthooksThreads(source.instanceId())).isEqualTo(before);
  }

  /** Live virthooks-libvirt threads, except those of the source numbered {@code except}. */
  static List<String> virthooksThreads(long except) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith("virthooks-libvirt"))
        .filter(n -> !n.contains(" #" + except + " ")).sorted()
        .collect(Collectors.toList());
  }
}
