package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.libvirt.testing.LibvirtHookHarness;

/**
 * The phases follow what libvirt does with a failing hook (README, "What a refusal does"): a
 * refusal is answered with a non-zero exit exactly where libvirt checks it, and the installed
 * relay client fails closed at those operations but {@code reconnect}.
 */
class HookSemanticsTest {
  static final String XML = "<domain type='kvm' id='3'><name>vm1</name>"
      + "<uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid><memory unit='KiB'>65536</memory>"
      + "</domain>";
  static final String NET = "<hookData><network><name>n1</name></network></hookData>";

  @TempDir Path dir;

  /** What libvirt checks, per driver and operation, from its sources (see the README table). */
  @ParameterizedTest
  @CsvSource({
      "qemu, prepare, begin, true", "qemu, start, begin, true", "qemu, started, begin, true",
      "qemu, stopped, end, false", "qemu, release, end, false", "qemu, migrate, begin, true",
      "qemu, restore, begin, true", "qemu, reconnect, begin, true",
      "lxc, started, begin, true", "lxc, reconnect, begin, true", "lxc, release, end, false",
      "libxl, started, begin, true", "libxl, migrate, begin, true", "libxl, stopped, end, false",
      "bhyve, started, begin, true", "bhyve, release, end, false",
      "network, start, begin, true", "network, started, begin, true",
      "network, port-created, begin, true", "network, plugged, begin, true",
      "network, stopped, end, false", "network, port-deleted, begin, false",
      "network, updated, begin, false", "daemon, start, -, false", "daemon, reload, begin, false",
      "daemon, shutdown, -, false"})
  void aRefusalReachesLibvirtExactlyWhereLibvirtChecksIt(String driver, String op, String sub,
      boolean checked) {
    HookDriver d = HookDriver.byName(driver).orElseThrow();
    try (LibvirtHookHarness h = LibvirtHookHarness.create()) {
      h.registry().register(LibvirtHookPoints.of(d, op), "no", c -> Verdict.refuse("not today"));
      ScriptResult r = h.call(d, d == HookDriver.DAEMON ? "-" : d == HookDriver.NETWORK ? "n1"
          : "vm1", op, sub, "-").stdin(d == HookDriver.NETWORK ? NET
          : d == HookDriver.DAEMON ? "" : XML).run();
      if (checked) {
        assertThat(r.exitCode()).as("libvirt checks %s %s", driver, op).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("not today\n");
      } else {
        assertThat(r.exitCode()).as("libvirt ignores %s %s", driver, op).isZero();
        assertThat(r.stderr()).contains("warning").contains("not today");
      }
    }
  }

  @Test
  void startedIsADecisionPointForEveryGuestDriverAndTheNetwork() {
    assertThat(LibvirtHookPoints.DOMAIN_STARTED.phase()).isEqualTo(HookPhase.BEFORE);
    assertThat(LibvirtHookPoints.NETWORK_STARTED.phase()).isEqualTo(HookPhase.BEFORE);
    for (HookDriver d : List.of(HookDriver.QEMU, HookDriver.LXC, HookDriver.LIBXL,
        HookDriver.BHYVE)) {
      assertThat(LibvirtHookPoints.failClosedOperations(d)).as(d.scriptName())
          .containsExactlyInAnyOrder("prepare", "start", "started", "migrate", "restore",
              "attach");
    }
    assertThat(LibvirtHookPoints.failClosedOperations(HookDriver.NETWORK))
        .containsExactlyInAnyOrder("start", "started", "port-created", "plugged");
    assertThat(LibvirtHookPoints.failClosedOperations(HookDriver.DAEMON)).isEmpty();
  }

  /**
   * The installed Perl client against a relay that accepts and closes without an answer (a
   * crashed management tool): refused at started as at prepare, the policy at stopped and at
   * reconnect (where a refusal would kill a running guest).
   */
  @ParameterizedTest
  @CsvSource({"qemu, prepare, begin, 1", "qemu, started, begin, 1", "qemu, stopped, end, 0",
      "qemu, reconnect, begin, 0", "network, started, begin, 1", "network, updated, begin, 0"})
  void theRelayClientFailsClosedAtStarted(String driver, String op, String sub, int exit)
      throws Exception {
    HookDriver d = HookDriver.byName(driver).orElseThrow();
    Path sock = dir.resolve("dies.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
        try (SocketChannel c = server.accept()) {
          c.read(ByteBuffer.allocate(16)); // took part of the request, then "crashed"
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      Path script = LibvirtHookInstaller.installRelay(dir.resolve("hooks"), d, "50-virthooks",
          sock, UnreachablePolicy.PROCEED, Duration.ofSeconds(10)).install().script();
      ScriptResult r = LibvirtHookCompatibilityTest.exec(script, List.of(d == HookDriver.NETWORK ? "n1" : "vm1", op, sub, "-"),
          d == HookDriver.NETWORK ? NET : XML);
      closer.get(10, TimeUnit.SECONDS);
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(exit);
      if (exit == 1) {
        assertThat(r.stderr()).contains("refusing");
      } else {
        assertThat(r.stderr()).contains("warning");
      }
    }
  }

  @Test
  void theClientCarriesTheOperationsItRefusesAt() throws Exception {
    Path script = LibvirtHookInstaller.installRelay(dir.resolve("hooks"), HookDriver.QEMU, "x",
        dir.resolve("s.sock"), UnreachablePolicy.PROCEED, Duration.ofSeconds(10)).install()
        .script();
    String text = Files.readString(script);
    for (String op : Set.of("prepare", "start", "started", "migrate", "restore", "attach")) {
      assertThat(text).contains("'" + op + "'");
    }
    assertThat(text).doesNotContain("'stopped'").doesNotContain("'reconnect'");
  }
}
