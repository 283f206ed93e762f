package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
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
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * The 2013 proposal's HOTPLUG_PATH interface: every operation's outputs and the ordering
 * guarantees, each call a separate invocation with its own xenstore connection.
 */
@Timeout(60)
class SeedHotplugInterfaceTest {
  static final String HP = "/local/domain/0/libxl/hotplug/4/51712";
  static final String BP = "/local/domain/0/backend/vbd/4/51712";

  @TempDir Path dir;
  XenstoreServer server;
  LoopFiles loops;
  Path disk;
  BlockDevice dev;
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<VirtEvent> events = new CopyOnWriteArrayList<>();
  boolean failAdd;
  boolean failAttach;

  /** Records its calls; answers with the test's loop device. */
  final HotplugHandler handler = new HotplugHandler() {
    @Override
    public int version() {
      calls.add("version");
      return 2;
    }

    @Override
    public void prepare(HotplugRequest r) {
      calls.add("prepare " + r.params().orElse("-") + " guest " + r.guestDomid().getAsInt());
    }

    @Override
    public BlockDevice add(HotplugRequest r) throws HotplugException {
      calls.add("add " + r.params().orElse("-") + " mode " + r.mode().orElse("-"));
      if (failAdd) {
        throw new HotplugException("target unreachable");
      }
      return dev;
    }

    @Override
    public void remove(HotplugRequest r) {
      calls.add("remove");
    }

    @Override
    public BlockDevice localAttach(HotplugRequest r) throws HotplugException {
      calls.add("localattach");
      if (failAttach) {
        throw new HotplugException("no local attach");
      }
      return dev;
    }

    @Override
    public void localDetach(HotplugRequest r) {
      calls.add("localdetach");
    }

    @Override
    public void unprepare(HotplugRequest r) {
      calls.add("unprepare");
    }
  };

  @BeforeEach
  void start() throws Exception {
    server = XenstoreServer.start(dir.resolve("xs.sock"));
    loops = new LoopFiles();
    disk = loops.attach(loops.image(dir, "seed.img"));
    dev = BlockDevices.inspect(disk);
    // the toolstack creates HOTPLUG_PATH with the target before prepare
    server.write(HP + "/params", "iscsi:target-1");
    server.write(BP + "/mode", "w");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    loops.close();
  }

  ScriptResult call(String op, boolean withBackend) {
    Map<String, String> env = new HashMap<>();
    env.put("HOTPLUG_PATH", HP);
    if (withBackend) {
      env.put("BACKEND_PATH", BP);
    }
    env.put("XENSTORED_PATH", server.socket().toString());
    // a fresh runner per call: nothing carries over between invocations but xenstore
    try (XenHotplugRunner r = XenHotplugRunner.builder().blockHandler(handler)
        .eventSink(events::add).build()) {
      return r.run(new ScriptInvocation(List.of("/etc/xen/scripts/block-virthooks", op), env,
          null));
    }
  }

  @Test
  void fullLifecycleWritesTheProposalsOutputs() {
    assertThat(call("version", false).exitCode()).isZero();
    assertThat(server.read(HP + "/version")).contains("2");
    assertThat(call("prepare", false).exitCode()).isZero();
    assertThat(call("add", true).exitCode()).isZero();
    assertThat(server.read(BP + "/physical-device")).contains(dev.majorMinorHex());
    assertThat(server.read(BP + "/params")).contains(disk.toString());
    assertThat(server.read(HP + "/pdev")).contains(disk.toString());
    assertThat(call("localattach", false).exitCode()).isZero();
    assertThat(call("localdetach", false).exitCode()).isZero();
    assertThat(call("remove", true).exitCode()).isZero();
    assertThat(call("unprepare", false).exitCode()).isZero();
    assertThat(calls).containsExactly("version", "prepare iscsi:target-1 guest 4",
        "add iscsi:target-1 mode w", "localattach", "localdetach", "remove", "unprepare");
    assertThat(server.read(HP + "/virthooks")).isEmpty(); // state gone after unprepare
    assertThat(events).extracting(e -> ((ResourceEvent) e).operation())
        .containsExactly(Operation.ADD, Operation.REMOVE);
  }

  @Test
  void phasesNeedingPrepareAreRefusedWithoutIt() {
    for (String op : List.of("add", "remove", "localattach", "localdetach")) {
      ScriptResult r = call(op, true);
      assertThat(r.exitCode()).as(op).isEqualTo(1);
      assertThat(r.stderr()).contains(op + " refused: prepare has not succeeded for " + HP);
    }
    assertThat(calls).isEmpty();
    // after unprepare the guarantee holds again
    call("prepare", false);
    call("unprepare", false);
    assertThat(call("add", true).exitCode()).isEqualTo(1);
  }

  @Test
  void removeStillRunsAfterAFailedAdd() {
    call("prepare", false);
    failAdd = true;
    ScriptResult add = call("add", true);
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(server.read(HP + "/hotplug-error")).contains("target unreachable");
    assertThat(server.read(BP + "/physical-device")).isEmpty();
    assertThat(call("remove", true).exitCode()).isZero();
    assertThat(calls).endsWith("remove");
  }

  @Test
  void localdetachStillRunsAfterAFailedLocalattach() {
    call("prepare", false);
    failAttach = true;
    assertThat(call("localattach", false).exitCode()).isEqualTo(1);
    assertThat(server.read(HP + "/pdev")).isEmpty();
    assertThat(call("localdetach", false).exitCode()).isZero();
    assertThat(calls).endsWith("localattach", "localdetach");
  }

  @Test
  void addAndRemoveNeedBackendPathAndUnknownOperationsAreUsageErrors() {
    call("prepare", false);
    ScriptResult r = call("add", false);
    assertThat(r.exitCode()).isEqualTo(XenHotplugRunner.USAGE);
    assertThat(r.stderr()).contains("add needs BACKEND_PATH");
    ScriptResult bad = call("attach", false);
    assertThat(bad.exitCode()).isEqualTo(XenHotplugRunner.USAGE);
    assertThat(bad.stderr()).contains("unknown hotplug operation 'attach'");
  }
}
