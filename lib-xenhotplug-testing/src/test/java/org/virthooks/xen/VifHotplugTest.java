package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.testing.XenstoreServer;

/** libxl's vif calls reach the network handler and hotplug-status is written as libxl expects. */
@Timeout(60)
class VifHotplugTest {
  static final String BE = "backend/vif/3/0";
  static final String ABS = "/local/domain/0/" + BE;

  @TempDir Path dir;
  XenstoreServer server;
  final List<String> seen = new CopyOnWriteArrayList<>();
  final List<VirtEvent> events = new CopyOnWriteArrayList<>();
  boolean fail;

  final NetworkHandler handler = new NetworkHandler() {
    @Override
    public void online(VifRequest r) throws HotplugException {
      seen.add(r.action() + " " + r.typeIf() + " " + r.vif().orElse("-") + " "
          + r.bridge().orElse("-") + " dom" + r.guestDomid().getAsInt());
      if (fail) {
        throw new HotplugException("bridge xenbr9 does not exist");
      }
    }

    @Override
    public void offline(VifRequest r) {
      seen.add(r.action() + " " + r.typeIf());
    }
  };

  @BeforeEach
  void start() throws Exception {
    server = XenstoreServer.start(dir.resolve("xs.sock"));
    server.write(ABS + "/bridge", "xenbr0");
    server.write(ABS + "/mac", "00:16:3e:00:00:01");
    server.write(ABS + "/frontend-id", "3");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  ScriptResult call(String action, String typeIf) {
    try (XenHotplugRunner r = XenHotplugRunner.builder().networkHandler(handler)
        .eventSink(events::add).build()) {
      return r.run(new ScriptInvocation(List.of("/etc/xen/scripts/vif-bridge", action,
          "type_if=" + typeIf), Map.of("script", "/etc/xen/scripts/vif-bridge",
          "XENBUS_TYPE", "vif", "XENBUS_PATH", BE, "XENBUS_BASE_PATH", "backend",
          "vif", typeIf.equals("tap") ? "vif3.0-emu" : "vif3.0", "netdev", "",
          "XENSTORED_PATH", server.socket().toString()), null));
    }
  }

  @Test
  void onlineOfAVifWritesConnected() {
    assertThat(call("online", "vif").exitCode()).isZero();
    assertThat(server.read(ABS + "/hotplug-status")).contains("connected");
    assertThat(call("offline", "vif").exitCode()).isZero();
    assertThat(seen).containsExactly("online vif vif3.0 xenbr0 dom3", "offline vif");
    assertThat(events).extracting(e -> ((ResourceEvent) e).operation())
        .containsExactly(Operation.ADD, Operation.REMOVE);
    assertThat(events).allSatisfy(e ->
        assertThat(((ResourceEvent) e).resource()).isEqualTo(ResourceType.VNET));
  }

  @Test
  void tapAddReachesTheHandlerWithoutWritingConnected() {
    assertThat(call("add", "tap").exitCode()).isZero();
    assertThat(seen).containsExactly("add tap vif3.0-emu xenbr0 dom3");
    assertThat(server.read(ABS + "/hotplug-status")).isEmpty();
    assertThat(call("remove", "tap").exitCode()).isZero();
    assertThat(seen).endsWith("remove tap");
  }

  @Test
  void failureWritesErrorAndStatus() {
    fail = true;
    ScriptResult r = call("online", "vif");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(server.read(ABS + "/hotplug-status")).contains("error");
    assertThat(server.read(ABS + "/hotplug-error")).contains("bridge xenbr9 does not exist");
  }

  @Test
  void onlineWithNoHookAtAllRefusesRatherThanClaimConnected() {
    try (XenHotplugRunner r = XenHotplugRunner.builder().build()) {
      ScriptResult res = r.run(new ScriptInvocation(List.of("/etc/xen/scripts/vif-bridge",
          "online", "type_if=vif"), Map.of("XENBUS_TYPE", "vif", "XENBUS_PATH", BE, "vif",
          "vif3.0", "XENSTORED_PATH", server.socket().toString()), null));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(server.read(ABS + "/hotplug-status")).contains("error");
      assertThat(server.read(ABS + "/hotplug-error"))
          .contains("no hook is registered at before:vif.online: nothing would connect vif3.0");
    }
  }

  @Test
  void unknownActionIsAUsageError() {
    ScriptResult r = call("migrate", "vif");
    assertThat(r.exitCode()).isEqualTo(XenHotplugRunner.USAGE);
    assertThat(r.stderr()).contains("unknown network hotplug operation 'migrate'");
  }
}
