package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.install.ScriptInstaller;
import org.virthooks.core.relay.RelayClientScript;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * The relayed mode end to end: libxl's exec of the installed Perl relay client, relayed into this
 * JVM's runner, writing the backend keys into the in-memory xenstore; and what an unreachable
 * relay does to the add.
 */
@Timeout(60)
class RelayedHotplugTest {
  @TempDir Path dir;
  XenstoreServer xenstore;
  LoopFiles loops;
  final List<VirtEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    xenstore = XenstoreServer.start(dir.resolve("xs.sock"));
    loops = new LoopFiles();
  }

  @AfterEach
  void stop() throws Exception {
    xenstore.close();
    loops.close();
  }

  private Path installClient(UnreachablePolicy policy) throws Exception {
    Path script = dir.resolve("scripts/block-virthooks");
    ScriptInstaller.install(script, RelayClientScript.render(dir.resolve("relay.sock"), policy,
        Duration.ofSeconds(20), XenHotplugRunner.ENVIRONMENT));
    return script;
  }

  private ScriptResult libxlExec(Path script, String action) throws Exception {
    return LibxlExec.block(script, action, LibxlBlockHotplugTest.BE, xenstore.socket());
  }

  @Test
  void aRelayedAddAndRemoveBehaveLikeTheInProcessRunner() throws Exception {
    Path disk = loops.attach(loops.image(dir, "relayed.img"));
    LibxlBlockHotplugTest.libxlBackend(disk.toString(), "w")
        .forEach((k, v) -> xenstore.write(LibxlBlockHotplugTest.ABS + "/" + k, v));
    Path client = installClient(UnreachablePolicy.REFUSE);
    try (XenHotplugRunner runner = XenHotplugRunner.builder().blockHandler(new StockBlockHandler())
            .eventSink(events::add).instance("relayed").build();
        RelayServer relay = RelayServer.builder(dir.resolve("relay.sock"), runner::run).start()) {
      ScriptResult add = libxlExec(client, "add");
      assertThat(add.exitCode()).as(add.stderr()).isZero();
      String abs = LibxlBlockHotplugTest.ABS;
      assertThat(xenstore.read(abs + "/hotplug-status")).contains("connected");
      assertThat(xenstore.read(abs + "/physical-device"))
          .contains(LibxlBlockHotplugTest.hex(BlockDevices.inspect(disk)));
      assertThat(xenstore.read(abs + "/physical-device-path")).contains(disk.toString());
      assertThat(libxlExec(client, "remove").exitCode()).isZero();
      assertThat(relay.served()).isEqualTo(2);
    }
    assertThat(events).hasSize(2).allMatch(e -> e instanceof ResourceEvent);
  }

  @Test
  void anUnreachableRelayFailsTheAddUnderTheRefusePolicy() throws Exception {
    ScriptResult add = libxlExec(installClient(UnreachablePolicy.REFUSE), "add");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(add.stderr()).contains("cannot reach the relay");
  }
}
