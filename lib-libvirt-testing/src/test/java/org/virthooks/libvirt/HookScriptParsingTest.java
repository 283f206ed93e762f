package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.libvirt.testing.LibvirtHookHarness;
import org.virthooks.libvirt.testing.TestDomains;

/** Every argv and stdin shape of libvirt's hook scripts, parsed and answered with no daemon. */
class HookScriptParsingTest {
  static final UUID UUID1 = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
  static final String LIVE_XML = "<domain type='kvm' id='7'>\n  <name>vm1</name>\n  <uuid>" + UUID1
      + "</uuid>\n  <description>web</description>\n  <memory unit='MiB'>64</memory>\n"
      + "  <vcpu placement='static'>2</vcpu>\n  <metadata><x:a xmlns:x='urn:x'>1</x:a></metadata>\n"
      + "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
      + "    <disk type='file' device='disk'><source file='/var/lib/vm1.qcow2'/>"
      + "<target dev='vda' bus='virtio'/></disk>\n"
      + "    <interface type='network'><mac address='52:54:00:aa:bb:cc'/>"
      + "<source network='default'/><target dev='vnet3'/><model type='virtio'/></interface>\n"
      + "    <serial type='pty'/>\n  </devices>\n</domain>\n";
  static final String HOOK_DATA = "<hookData><network><name>vh-net</name><uuid>"
      + UUID1 + "</uuid><bridge name='vhbr0' stp='on'/></network>"
      + "<networkport><uuid>11111111-2222-3333-4444-555555555555</uuid>"
      + "<owner><name>vm1</name><uuid>" + UUID1 + "</uuid></owner>"
      + "<mac address='52:54:00:aa:bb:cc'/><plug type='network' bridge='vhbr0'/></networkport>"
      + "</hookData>";

  @ParameterizedTest
  @CsvSource({
      "qemu, prepare, begin, -, before:domain.prepare",
      "qemu, start, begin, -, before:domain.start",
      "qemu, started, begin, -, before:domain.started",
      "qemu, stopped, end, -, after:domain.stopped",
      "qemu, release, end, destroyed, after:domain.release",
      "qemu, release, end, -, after:domain.release",
      "qemu, migrate, begin, -, filter:domain.migrate",
      "qemu, restore, begin, -, filter:domain.restore",
      "qemu, reconnect, begin, -, before:domain.reconnect",
      "qemu, attach, begin, -, before:domain.attach",
      "qemu, frobnicate, begin, -, after:domain.other",
      "lxc, prepare, begin, -, before:domain.prepare",
      "lxc, reconnect, begin, -, before:domain.reconnect",
      "libxl, migrate, begin, -, filter:domain.migrate",
      "libxl, release, end, -, after:domain.release",
      "bhyve, start, begin, -, before:domain.start",
      "bhyve, stopped, end, -, after:domain.stopped"})
  void guestOperationsMapToTheirPoints(String driver, String op, String sub, String extra,
      String point) {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      HookCall c = h.call(HookDriver.byName(driver).orElseThrow(), "vm1", op, sub, extra)
          .stdin(LIVE_XML).parse();
      assertThat(c.point().toString()).isEqualTo(point);
      assertThat(c.action()).isEqualTo(op + " " + sub + " " + extra);
      assertThat(c.domain().orElseThrow().name()).isEqualTo("vm1");
      assertThat(c.domain().orElseThrow().uuid()).contains(UUID1);
      assertThat(c.domain().orElseThrow().id()).hasValue(7);
      assertThat(c.document()).contains(LIVE_XML);
      assertThat(c.attribute("driver")).contains(driver);
      assertThat(c.attribute("extra")).contains(extra);
      LibvirtHookContext ctx = c.context(LibvirtHookContext.class).orElseThrow();
      assertThat(ctx.driver()).contains(HookDriver.byName(driver).orElseThrow());
      assertThat(ctx.operation()).isEqualTo(op);
      assertThat(ctx.parseError()).isEmpty();
    }
  }

  @Test
  void domainXmlIsReadOnceIntoTheTypedView() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      DomainDescription d = h.qemu("vm1", "prepare", "begin", "-").stdin(LIVE_XML).parse()
          .context(LibvirtHookContext.class).orElseThrow().domain().orElseThrow();
      assertThat(d.type()).isEqualTo("kvm");
      assertThat(d.name()).isEqualTo("vm1");
      assertThat(d.uuid()).contains(UUID1);
      assertThat(d.id()).hasValue(7);
      assertThat(d.description()).contains("web");
      assertThat(d.memoryKib()).contains(65536L);
      assertThat(d.vcpus()).hasValue(2);
      assertThat(d.disks()).containsExactly(new DomainDescription.Disk("file", "disk",
          java.util.Optional.of("/var/lib/vm1.qcow2"), java.util.Optional.of("vda"),
          java.util.Optional.of("virtio")));
      assertThat(d.interfaces()).hasSize(1);
      assertThat(d.interfaces().get(0).mac()).contains("52:54:00:aa:bb:cc");
      assertThat(d.interfaces().get(0).source()).contains("default");
      assertThat(d.interfaces().get(0).target()).contains("vnet3");
      assertThat(d.otherDevices()).containsExactly("emulator", "serial");
    }
  }

  @Test
  void theTinyTestGuestParses() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      DomainDescription d = h.qemu("t", "start", "begin", "-")
          .stdin(TestDomains.tinyQemuGuest("t", UUID1, "vh-net")).parse()
          .context(LibvirtHookContext.class).orElseThrow().domain().orElseThrow();
      assertThat(d.id()).isEmpty();
      assertThat(d.interfaces()).extracting(i -> i.source().orElseThrow()).containsExactly("vh-net");
    }
  }

  @ParameterizedTest
  @CsvSource({
      "start, begin, before:network.start",
      "started, begin, before:network.started",
      "stopped, end, after:network.stopped",
      "port-created, begin, before:network.port-created",
      "port-deleted, begin, after:network.port-deleted",
      "plugged, begin, before:network.port-created",
      "unplugged, begin, after:network.port-deleted",
      "updated, begin, after:network.updated",
      "renamed, begin, after:network.other"})
  void networkOperationsAndHookData(String op, String sub, String point) {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      HookCall c = h.network("vh-net", op, sub, "-").stdin(HOOK_DATA).parse();
      assertThat(c.point().toString()).isEqualTo(point);
      assertThat(c.domain()).isEmpty();
      NetworkHookData n = c.context(LibvirtHookContext.class).orElseThrow().network()
          .orElseThrow();
      assertThat(n.network()).isEqualTo("vh-net");
      assertThat(n.uuid()).contains(UUID1);
      assertThat(n.bridge()).contains("vhbr0");
      NetworkHookData.Port p = n.port().orElseThrow();
      assertThat(p.ownerName()).contains("vm1");
      assertThat(p.ownerUuid()).contains(UUID1);
      assertThat(p.mac()).contains("52:54:00:aa:bb:cc");
      assertThat(p.uuid().orElseThrow().toString())
          .isEqualTo("11111111-2222-3333-4444-555555555555");
    }
  }

  @ParameterizedTest
  @CsvSource({
      "start, -, start, after:daemon.start",
      "shutdown, -, shutdown, after:daemon.shutdown",
      "reload, begin, SIGHUP, after:daemon.reload",
      "hibernate, -, -, after:daemon.other"})
  void daemonOperations(String op, String sub, String extra, String point) {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      HookCall c = h.daemon(op, sub, extra).parse();
      assertThat(c.point().toString()).isEqualTo(point);
      assertThat(c.document()).isEmpty();
      assertThat(c.context(LibvirtHookContext.class).orElseThrow().parseError()).isEmpty();
      assertThat(h.daemon(op, sub, extra).run().exitCode()).isZero();
    }
  }

  @Test
  void topLevelScriptAndDotDScriptNameTheDriver() {
    assertThat(HookDriver.ofScript("/etc/libvirt/hooks/qemu")).contains(HookDriver.QEMU);
    assertThat(HookDriver.ofScript("/etc/libvirt/hooks/network.d/10-x")).contains(HookDriver.NETWORK);
    assertThat(HookDriver.ofScript("/etc/libvirt/hooks/daemon")).contains(HookDriver.DAEMON);
    assertThat(HookDriver.ofScript("/etc/libvirt/hooks/foo.d/x")).isEmpty();
    assertThat(HookDriver.ofScript("qemu")).contains(HookDriver.QEMU);
  }

  @Test
  void unknownScriptPassesAsOther() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      List<String> seen = new CopyOnWriteArrayList<>();
      h.registry().register(LibvirtHookPoints.UNKNOWN_OTHER, "rec", c -> {
        seen.add(c.action());
        return Verdict.refuse("ignored: after-point");
      });
      ScriptResult r = h.script("/etc/libvirt/hooks/storage", "pool", "start", "begin", "-").run();
      assertThat(r.exitCode()).isZero();
      assertThat(seen).containsExactly("start begin -");
      assertThat(r.stderr()).contains("warning");
    }
  }

  @Test
  void unknownOperationPassesWithExitZeroAndReachesOtherHooks() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      List<HookCall> seen = new CopyOnWriteArrayList<>();
      h.registry().register(LibvirtHookPoints.DOMAIN_OTHER, "rec", c -> {
        seen.add(c);
        return Verdict.proceed();
      });
      ScriptResult r = h.qemu("vm1", "teleport", "begin", "-").stdin(LIVE_XML).run();
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdout()).isEmpty();
      assertThat(seen).singleElement().satisfies(c -> {
        assertThat(c.attribute("operation")).contains("teleport");
        assertThat(c.point().phase()).isEqualTo(HookPhase.AFTER);
      });
    }
  }

  @Test
  void malformedXmlStillReachesHooksWithTheRawDocument() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      List<HookCall> seen = new CopyOnWriteArrayList<>();
      h.registry().register(LibvirtHookPoints.DOMAIN_START, "rec", c -> {
        seen.add(c);
        return Verdict.proceed();
      });
      ScriptResult r = h.qemu("vm1", "start", "begin", "-").stdin("<domain><name>vm1</nam").run();
      assertThat(r.exitCode()).isZero();
      HookCall c = seen.get(0);
      assertThat(c.document()).contains("<domain><name>vm1</nam");
      assertThat(c.domain().orElseThrow().name()).isEqualTo("vm1");
      assertThat(c.domain().orElseThrow().uuid()).isEmpty();
      assertThat(c.context(LibvirtHookContext.class).orElseThrow().parseError().orElseThrow())
          .startsWith("malformed XML");
      assertThat(c.attribute("parseError")).isPresent();
    }
  }

  @Test
  void emptyStdinAndWrongRootAreReportedNotFatal() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      HookCall empty = h.qemu("vm1", "stopped", "end", "-").parse();
      assertThat(empty.document()).isEmpty();
      assertThat(empty.context(LibvirtHookContext.class).orElseThrow().parseError())
          .contains("no document on stdin");
      assertThat(h.qemu("vm1", "stopped", "end", "-").run().exitCode()).isZero();
      HookCall wrong = h.qemu("vm1", "start", "begin", "-").stdin("<network><name>n</name></network>")
          .parse();
      assertThat(wrong.context(LibvirtHookContext.class).orElseThrow().parseError()).isPresent();
      HookCall noName = h.qemu("vm1", "start", "begin", "-").stdin("<domain type='kvm'/>").parse();
      assertThat(noName.context(LibvirtHookContext.class).orElseThrow().parseError().orElseThrow())
          .contains("no <name>");
      HookCall badNet = h.network("n", "start", "begin", "-").stdin("<hookData/>").parse();
      assertThat(badNet.context(LibvirtHookContext.class).orElseThrow().parseError()).isPresent();
    }
  }

  @Test
  void doctypeAndExternalEntitiesAreNeverResolved() throws Exception {
    java.nio.file.Path secret = java.nio.file.Files.createTempFile("vh-secret", ".txt");
    java.nio.file.Files.writeString(secret, "TOP-SECRET");
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      String xxe = "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file://" + secret
          + "'>]><domain><name>&x;</name></domain>";
      HookCall c = h.qemu("vm1", "start", "begin", "-").stdin(xxe).parse();
      LibvirtHookContext ctx = c.context(LibvirtHookContext.class).orElseThrow();
      assertThat(ctx.domain()).isEmpty();
      assertThat(ctx.parseError().orElseThrow()).contains("DTD");
      assertThat(c.domain().orElseThrow().name()).isEqualTo("vm1");
    } finally {
      java.nio.file.Files.delete(secret);
    }
  }

  @Test
  void tooFewArgumentsIsAUsageError() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      ScriptResult r = h.runner().run(new ScriptInvocation(List.of("/etc/libvirt/hooks/qemu",
          "vm1"), Map.of(), null));
      assertThat(r.exitCode()).isEqualTo(LibvirtHookRunner.USAGE);
      assertThat(r.stderr()).contains("object operation sub-operation extra");
      // missing trailing arguments are '-'
      HookCall c = h.script("/etc/libvirt/hooks/daemon", "-", "start").parse();
      assertThat(c.attribute("extra")).contains("-");
    }
  }

  @Test
  void refusalExitsOneWithOneLineOnStderr() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      h.registry().register(LibvirtHookPoints.DOMAIN_PREPARE, "budget",
          c -> Verdict.refuse("guest exceeds\nthe memory budget"));
      ScriptResult r = h.qemu("vm1", "prepare", "begin", "-").stdin(LIVE_XML).run();
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).isEqualTo("guest exceeds the memory budget\n");
      assertThat(r.stdout()).isEmpty();
    }
  }

  @Test
  void filterRewritePrintsTheDocumentAndProceedPrintsNothing() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      h.registry().hook(LibvirtHookPoints.DOMAIN_RESTORE).name("a").priority(1)
          .register(c -> Verdict.rewrite(c.document().orElseThrow().replace("web", "db")));
      h.registry().hook(LibvirtHookPoints.DOMAIN_RESTORE).name("b").priority(2)
          .register(c -> Verdict.rewrite(c.document().orElseThrow().replace("db", "db2")));
      ScriptResult r = h.qemu("vm1", "restore", "begin", "-").stdin(LIVE_XML).run();
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdout()).contains("<description>db2</description>");
      ScriptResult m = h.qemu("vm1", "migrate", "begin", "-").stdin(LIVE_XML).run();
      assertThat(m.exitCode()).isZero();
      assertThat(m.stdout()).isEmpty();
    }
  }

  @Test
  void overrunningHookIsCutAtItsDeadlineAndRefuses() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      h.registry().hook(LibvirtHookPoints.DOMAIN_START).name("slow")
          .deadline(Duration.ofMillis(300)).register(c -> {
            Thread.sleep(30_000);
            return Verdict.proceed();
          });
      long t0 = System.nanoTime();
      ScriptResult r = h.qemu("vm1", "start", "begin", "-").stdin(LIVE_XML).run();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.stderr()).contains("hook 'slow' did not answer within its deadline of 300 ms");
    }
  }

  @Test
  void afterPointsNeverRefuseAndTolerateStopWithoutStart() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      h.registry().register(LibvirtHookPoints.DOMAIN_RELEASE, "boom", c -> {
        throw new IllegalStateException("never started");
      });
      ScriptResult r = h.qemu("vm1", "release", "end", "-").stdin(LIVE_XML).run();
      assertThat(r.exitCode()).isZero();
      assertThat(r.stderr()).contains("warning").contains("never started");
    }
  }

  @Test
  void aDocumentOverTheLimitIsRefusedUnseenAtBeforeAndFilterPointsAndWarnedAboutAfter() {
    String big = LIVE_XML.replace("<description>web</description>",
        "<description>" + "x".repeat(DocumentLimit.MAX_BYTES) + "</description>");
    String problem = DocumentLimit.overLimit(big.length());
    List<VirtEvent> events = new CopyOnWriteArrayList<>();
    try (LibvirtHookHarness h = LibvirtHookHarness.create(events::add)) {
      List<HookCall> seen = new CopyOnWriteArrayList<>();
      for (org.virthooks.core.hook.HookPoint p : List.of(LibvirtHookPoints.DOMAIN_PREPARE,
          LibvirtHookPoints.DOMAIN_MIGRATE, LibvirtHookPoints.DOMAIN_STOPPED)) {
        h.registry().register(p, "rec", c -> {
          seen.add(c);
          return Verdict.proceed();
        });
      }
      for (String op : List.of("prepare", "migrate")) {
        ScriptResult r = h.qemu("vm1", op, "begin", "-").stdin(big).run();
        assertThat(r.exitCode()).as(op).isEqualTo(1);
        assertThat(r.stderr()).as(op).isEqualTo("virthooks: " + problem + "; refusing\n");
        assertThat(r.stdout()).isEmpty();
      }
      // nobody was asked about a document nobody could read
      assertThat(seen).isEmpty();
      ScriptResult stopped = h.qemu("vm1", "stopped", "end", "-").stdin(big).run();
      assertThat(stopped.exitCode()).isZero();
      assertThat(stopped.stderr()).startsWith("virthooks: warning: " + problem);
      HookCall c = seen.get(0);
      assertThat(c.document()).isEmpty();
      assertThat(c.context(LibvirtHookContext.class).orElseThrow().parseError()).contains(problem);
      assertThat(c.domain().orElseThrow().name()).isEqualTo("vm1");
    }
    assertThat(events).hasSize(3);
    assertThat(events.get(0).meta().attributes()).containsEntry("verdict", "error")
        .containsEntry("parseError", problem);
  }

  @Test
  void callsArePublishedAsEvents() {
    List<VirtEvent> events = new CopyOnWriteArrayList<>();
    try (LibvirtHookHarness h = LibvirtHookHarness.create(events::add)) {
      h.registry().register(LibvirtHookPoints.DOMAIN_START, "no", c -> Verdict.refuse("no way"));
      h.qemu("vm1", "prepare", "begin", "-").stdin(LIVE_XML).run();
      h.qemu("vm1", "start", "begin", "-").stdin(LIVE_XML).run();
      h.qemu("vm1", "release", "end", "destroyed").stdin(LIVE_XML).run();
      h.network("vh-net", "port-created", "begin", "-").stdin(HOOK_DATA).run();
      h.daemon("reload", "begin", "SIGHUP").run();
    }
    assertThat(events).hasSize(5);
    DomainEvent prep = (DomainEvent) events.get(0);
    assertThat(prep.kind()).isEqualTo(DomainEvent.Kind.PREPARING);
    assertThat(prep.domain().uuid()).contains(UUID1);
    assertThat(prep.action()).isEqualTo("prepare begin -");
    DomainEvent start = (DomainEvent) events.get(1);
    assertThat(start.kind()).isEqualTo(DomainEvent.Kind.STARTING);
    assertThat(start.meta().attributes()).containsEntry("verdict", "refused")
        .containsEntry("refusal", "no way").containsEntry("decidedBy", "no");
    DomainEvent rel = (DomainEvent) events.get(2);
    assertThat(rel.kind()).isEqualTo(DomainEvent.Kind.RELEASED);
    assertThat(rel.detail()).contains("destroyed");
    ResourceEvent port = (ResourceEvent) events.get(3);
    assertThat(port.resource()).isEqualTo(ResourceType.NETWORK_PORT);
    assertThat(port.kindName()).isEqualTo("add-network-port");
    assertThat(((SourceEvent) events.get(4)).kind()).isEqualTo(SourceEvent.Kind.RELOADED);
    assertThat(events).extracting(VirtEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void warmUpParsesWithoutRunningHooks() {
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      List<String> ran = new CopyOnWriteArrayList<>();
      for (org.virthooks.core.hook.HookPoint p : LibvirtHookPoints.ALL) {
        h.registry().register(p, "rec", c -> {
          ran.add(c.action());
          return Verdict.proceed();
        });
      }
      assertThat(h.runner().warmUp(50)).isSameAs(h.runner());
      assertThat(ran).isEmpty();
    }
  }
}
