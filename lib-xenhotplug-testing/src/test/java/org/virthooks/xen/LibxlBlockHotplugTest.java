package org.virthooks.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugPhase;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * libxl's block hotplug convention end to end against the in-memory xenstore, with real loop
 * devices: the backend after add/remove compared key by key with what the stock {@code block}
 * script leaves, in the same order; failure, busy, idempotent and budget paths; events.
 */
@Timeout(60)
class LibxlBlockHotplugTest {
  static final String BE = "backend/vbd/5/51712";
  static final String ABS = "/local/domain/0/" + BE;

  @TempDir Path dir;
  XenstoreServer server;
  LoopFiles loops;
  List<VirtEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = XenstoreServer.start(dir.resolve("xs.sock"));
    loops = new LoopFiles();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    loops.close();
  }

  /** What libxl writes under the backend before it runs the script (libxl_disk.c). */
  static Map<String, String> libxlBackend(String params, String mode) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("frontend", "/local/domain/5/device/vbd/51712");
    m.put("params", params);
    m.put("script", "/etc/xen/scripts/block-virthooks");
    m.put("frontend-id", "5");
    m.put("online", "1");
    m.put("removable", "0");
    m.put("bootable", "1");
    m.put("state", "2");
    m.put("dev", "xvda");
    m.put("type", "phy");
    m.put("mode", mode);
    m.put("device-type", "disk");
    m.put("discard-enable", "1");
    return m;
  }

  void writeBackend(String be, Map<String, String> keys) {
    keys.forEach((k, v) -> server.write("/local/domain/0/" + be + "/" + k, v));
  }

  static ScriptInvocation libxl(String action, String be, Path socket) {
    return new ScriptInvocation(List.of("/etc/xen/scripts/block-virthooks", action), Map.of(
        "script", "/etc/xen/scripts/block-virthooks",
        "XENBUS_TYPE", "vbd",
        "XENBUS_PATH", be,
        "XENBUS_BASE_PATH", "backend",
        "XENSTORED_PATH", socket.toString()), null);
  }

  XenHotplugRunner runner(HotplugHandler h) {
    return XenHotplugRunner.builder().blockHandler(h).eventSink(events::add).instance("test")
        .build();
  }

  static String hex(BlockDevice d) {
    return String.format("%x:%x", d.major(), d.minor());
  }

  /** The backend's keys after the call, and the order in which the new ones appeared. */
  record Exchange(ScriptResult result, Map<String, String> backend, List<String> written) {}

  Exchange exchange(XenHotplugRunner r, String action) throws Exception {
    List<String> written = new ArrayList<>();
    ScriptResult res;
    try (XenstoreClient watcher = XenstoreClient.connect(server.socket());
        XenstoreWatch w = watcher.watch(ABS)) {
      w.next(Duration.ofSeconds(5)); // the immediate event
      res = r.run(libxl(action, BE, server.socket()));
      // a marker write: every event before it belongs to the call
      server.write(ABS + "/test-marker", "1");
      while (true) {
        String p = w.next(Duration.ofSeconds(5)).orElseThrow().path();
        if (p.equals(ABS + "/test-marker")) {
          break;
        }
        written.add(p.substring(ABS.length() + 1));
      }
      server.rm(ABS + "/test-marker");
    }
    Map<String, String> be = new LinkedHashMap<>();
    server.dump(ABS).forEach((k, v) -> {
      if (!k.equals(ABS)) {
        be.put(k.substring(ABS.length() + 1), v);
      }
    });
    return new Exchange(res, be, written);
  }

  @Test
  void phyAddWritesWhatTheStockScriptWritesInItsOrder() throws Exception {
    Path disk = loops.attach(loops.image(dir, "phy.img"));
    BlockDevice dev = BlockDevices.inspect(disk);
    writeBackend(BE, libxlBackend(disk.toString(), "w"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      Exchange add = exchange(r, "add");
      assertThat(add.result().exitCode()).as(add.result().stderr()).isZero();

      Map<String, String> expected = libxlBackend(disk.toString(), "w");
      expected.put("physical-device", hex(dev));
      expected.put("physical-device-path", disk.toString());
      expected.put("hotplug-status", "connected");
      assertThat(add.backend()).containsExactlyInAnyOrderEntriesOf(expected);
      // write_dev's order; hotplug-status last because libxl waits on it
      assertThat(add.written())
          .containsExactly("physical-device", "physical-device-path", "hotplug-status");

      Exchange remove = exchange(r, "remove");
      assertThat(remove.result().exitCode()).isZero();
      assertThat(remove.written()).isEmpty(); // the stock script writes nothing for phy remove
      assertThat(remove.backend()).isEqualTo(add.backend());
    }
    assertThat(events).hasSize(2);
    ResourceEvent added = (ResourceEvent) events.get(0);
    assertThat(added.operation()).isEqualTo(Operation.ADD);
    assertThat(added.resource()).isEqualTo(ResourceType.VDISK);
    assertThat(added.domain().orElseThrow().id()).hasValue(5);
    assertThat(added.name()).contains("51712");
    assertThat(added.meta().attributes()).containsEntry("outcome", "ok")
        .containsEntry("physical-device", hex(dev));
    assertThat(((ResourceEvent) events.get(1)).operation()).isEqualTo(Operation.REMOVE);
  }

  @Test
  void fileAddAttachesALoopDeviceAndRemoveDetachesIt() throws Exception {
    Path img = loops.image(dir, "guest.img");
    writeBackend(BE, libxlBackend(img.toString(), "w"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      Exchange add = exchange(r, "add");
      assertThat(add.result().exitCode()).as(add.result().stderr()).isZero();
      List<String> attached = LoopFiles.loopsOf(img);
      assertThat(attached).hasSize(1);
      Path loop = Path.of(attached.get(0));
      Map<String, String> expected = libxlBackend(img.toString(), "w");
      expected.put("node", loop.toString());
      expected.put("physical-device", hex(BlockDevices.inspect(loop)));
      expected.put("physical-device-path", loop.toString());
      expected.put("hotplug-status", "connected");
      assertThat(add.backend()).containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(add.written())
          .containsExactly("node", "physical-device", "physical-device-path", "hotplug-status");

      Exchange remove = exchange(r, "remove");
      assertThat(remove.result().exitCode()).as(remove.result().stderr()).isZero();
      assertThat(LoopFiles.loopsOf(img)).isEmpty();
    }
  }

  @Test
  void secondAddIsANoOp() throws Exception {
    Path img = loops.image(dir, "twice.img");
    writeBackend(BE, libxlBackend(img.toString(), "w"));
    AtomicInteger calls = new AtomicInteger();
    StockBlockHandler stock = new StockBlockHandler();
    HotplugHandler counting = req -> {
      calls.incrementAndGet();
      return stock.add(req);
    };
    try (XenHotplugRunner r = runner(counting)) {
      assertThat(r.run(libxl("add", BE, server.socket())).exitCode()).isZero();
      Exchange again = exchange(r, "add");
      assertThat(again.result().exitCode()).isZero();
      assertThat(again.written()).isEmpty();
      assertThat(calls).hasValue(1);
      assertThat(LoopFiles.loopsOf(img)).hasSize(1);
    }
  }

  @Test
  void failureWritesHotplugErrorThenStatusAndExitsOne() throws Exception {
    writeBackend(BE, libxlBackend(dir.resolve("missing.img").toString(), "w"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      Exchange add = exchange(r, "add");
      assertThat(add.result().exitCode()).isEqualTo(1);
      assertThat(add.result().stderr()).contains("missing.img does not exist.");
      assertThat(add.backend()).containsEntry("hotplug-status", "error")
          .containsEntry("hotplug-error", dir.resolve("missing.img") + " does not exist.")
          .doesNotContainKey("physical-device");
      // both in one transaction, as the scripts' fatal() does with one xenstore-write
      assertThat(add.written()).containsExactlyInAnyOrder("hotplug-error", "hotplug-status");
    }
    assertThat(((ResourceEvent) events.get(0)).meta().attributes())
        .containsEntry("outcome", "failed");
  }

  @Test
  void regularNonBlockNonFileIsAClearFailure() throws Exception {
    writeBackend(BE, libxlBackend(dir.toString(), "w")); // a directory
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      ScriptResult res = r.run(libxl("add", BE, server.socket()));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(server.read(ABS + "/hotplug-error")).contains(dir + " is not a block device.");
    }
  }

  @Test
  void handlerReturningANonBlockDeviceFails() throws Exception {
    Path notDev = Files.writeString(dir.resolve("plain"), "x");
    writeBackend(BE, libxlBackend("whatever", "w"));
    try (XenHotplugRunner r = runner(req -> BlockDevice.of(notDev.toString(), 7, 0))) {
      ScriptResult res = r.run(libxl("add", BE, server.socket()));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(server.read(ABS + "/hotplug-error")).contains(notDev + " is not a block device.");
      assertThat(server.read(ABS + "/hotplug-status")).contains("error");
    }
  }

  @Test
  void deviceUsedWritableByAnotherGuestIsBusy() throws Exception {
    Path disk = loops.attach(loops.image(dir, "shared.img"));
    BlockDevice dev = BlockDevices.inspect(disk);
    String other = "backend/vbd/7/51712";
    Map<String, String> otherKeys = libxlBackend(disk.toString(), "w");
    otherKeys.put("physical-device", hex(dev));
    writeBackend(other, otherKeys);
    writeBackend(BE, libxlBackend(disk.toString(), "r"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      ScriptResult res = r.run(libxl("add", BE, server.socket()));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(server.read(ABS + "/hotplug-status")).contains("busy");
      assertThat(server.read(ABS + "/hotplug-error").orElseThrow())
          .contains("is mounted read-write in a guest domain");
      assertThat(server.read(ABS + "/physical-device")).isEmpty();
    }
    assertThat(((ResourceEvent) events.get(0)).meta().attributes())
        .containsEntry("outcome", "busy");
  }

  @Test
  void busyAfterAttachingDetachesTheLoopDeviceAgain() throws Exception {
    Path img = loops.image(dir, "late-busy.img");
    // another guest's backend claims the loop device losetup will hand out next
    Path next = Path.of(LoopFiles.exec("losetup", "-f").strip());
    Map<String, String> otherKeys = libxlBackend("/some/other.img", "w");
    otherKeys.put("physical-device", hex(BlockDevices.inspect(next)));
    writeBackend("backend/vbd/7/51712", otherKeys);
    writeBackend(BE, libxlBackend(img.toString(), "w"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      ScriptResult res = r.run(libxl("add", BE, server.socket()));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(server.read(ABS + "/hotplug-status")).contains("busy");
      assertThat(LoopFiles.loopsOf(img)).isEmpty();
    }
  }

  @Test
  void readOnlySharingOfReadOnlyDeviceIsAllowed() throws Exception {
    Path disk = loops.attach(loops.image(dir, "ro.img"));
    String other = "backend/vbd/7/51712";
    Map<String, String> otherKeys = libxlBackend(disk.toString(), "r");
    otherKeys.put("physical-device", hex(BlockDevices.inspect(disk)));
    writeBackend(other, otherKeys);
    writeBackend(BE, libxlBackend(disk.toString(), "r"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      assertThat(r.run(libxl("add", BE, server.socket())).exitCode()).isZero();
      assertThat(server.read(ABS + "/hotplug-status")).contains("connected");
    }
  }

  @Test
  void fileAlreadyAttachedIsBusyForWriting() throws Exception {
    Path img = loops.image(dir, "inuse.img");
    loops.attach(img);
    writeBackend(BE, libxlBackend(img.toString(), "w"));
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      ScriptResult res = r.run(libxl("add", BE, server.socket()));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(server.read(ABS + "/hotplug-status")).contains("busy");
      assertThat(LoopFiles.loopsOf(img)).hasSize(1); // no second loop device
    }
  }

  @Test
  void handlerOverItsBudgetFailsInTime() throws Exception {
    writeBackend(BE, libxlBackend("/dev/null", "w"));
    HotplugHandler slow = req -> {
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new HotplugException("woke up");
    };
    try (XenHotplugRunner r = XenHotplugRunner.builder().blockHandler(slow)
        .budget(Duration.ofMillis(300)).build()) {
      long t0 = System.nanoTime();
      ScriptResult res = r.run(libxl("add", BE, server.socket()));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(res.exitCode()).isEqualTo(1);
      // the handler's hooks have the whole budget as their deadline, cut to what is left of it
      assertThat(server.read(ABS + "/hotplug-error").orElseThrow())
          .contains("hook 'block-handler' did not answer within the")
          .contains("left of the call's budget at filter:block.add");
    }
  }

  @Test
  void removeRunsUnprepareEvenWhenRemoveFails() throws Exception {
    writeBackend(BE, libxlBackend("/dev/null", "w"));
    List<String> seen = new CopyOnWriteArrayList<>();
    HotplugHandler h = new HotplugHandler() {
      @Override
      public BlockDevice add(HotplugRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void remove(HotplugRequest request) throws HotplugException {
        seen.add("remove " + request.params().orElse("?") + " " + request.mode().orElse("?"));
        throw new HotplugException("cannot detach");
      }

      @Override
      public void unprepare(HotplugRequest request) {
        seen.add("unprepare " + request.guestDomid().getAsInt() + " " + request.deviceId().get());
      }
    };
    try (XenHotplugRunner r = runner(h)) {
      ScriptResult res = r.run(libxl("remove", BE, server.socket()));
      assertThat(res.exitCode()).isEqualTo(1);
      assertThat(seen).containsExactly("remove /dev/null w", "unprepare 5 51712");
      assertThat(server.read(ABS + "/hotplug-error")).contains("cannot detach");
    }
  }

  @Test
  void aPolicyHookAfterTheHandlerSeesItsDeviceAndTheCallAndMayRefuse() throws Exception {
    Path disk = loops.attach(loops.image(dir, "policy.img"));
    writeBackend(BE, libxlBackend(disk.toString(), "w"));
    server.write("/local/domain/5/name", "web5");
    List<HookCall> seen = new CopyOnWriteArrayList<>();
    try (HookRegistry hooks = HookRegistry.create()) {
      HotplugHooks.register(hooks, new StockBlockHandler());
      hooks.hook(XenHotplugPoints.BLOCK_ADD).name("no-loops").priority(100).register(c -> {
        seen.add(c);
        return c.document().orElse("").startsWith("/dev/loop")
            ? Verdict.refuse("policy: no loop devices for guests") : Verdict.proceed();
      });
      try (XenHotplugRunner r = XenHotplugRunner.builder().registry(hooks).build()) {
        ScriptResult res = r.run(libxl("add", BE, server.socket()));
        assertThat(res.exitCode()).isEqualTo(1);
        assertThat(server.read(ABS + "/hotplug-error"))
            .contains("policy: no loop devices for guests");
        assertThat(server.read(ABS + "/physical-device")).isEmpty();
      }
      assertThat(hooks.hookNames(XenHotplugPoints.BLOCK_ADD)).containsExactly("block-handler",
          "no-loops"); // the runner closes only what it registered itself
    }
    HookCall c = seen.get(0);
    assertThat(c.document()).contains(disk.toString());
    assertThat(c.action()).isEqualTo("add");
    assertThat(c.source().toString()).isEqualTo("xen:localhost");
    assertThat(c.domain().orElseThrow().name()).isEqualTo("web5");
    assertThat(c.domain().orElseThrow().id()).hasValue(5);
    assertThat(c.attributes()).containsEntry("env.XENBUS_PATH", BE)
        .containsEntry("backend.params", disk.toString()).containsEntry("backend.mode", "w");
    HotplugRequest req = c.context(HotplugRequest.class).orElseThrow();
    assertThat(req.phase()).isEqualTo(HotplugPhase.ADD);
    assertThat(req.deviceId()).contains("51712");
  }

  @Test
  void notAHotplugCallIsAUsageError() {
    try (XenHotplugRunner r = runner(new StockBlockHandler())) {
      ScriptResult res = r.run(new ScriptInvocation(List.of("block", "add"), Map.of(), null));
      assertThat(res.exitCode()).isEqualTo(XenHotplugRunner.USAGE);
      assertThat(res.stderr()).contains("neither HOTPLUG_PATH nor XENBUS_PATH");
      ScriptResult noXs = r.run(new ScriptInvocation(List.of("block", "add"), Map.of(
          "XENBUS_PATH", BE, "XENSTORED_PATH", dir.resolve("nothing").toString()), null));
      assertThat(noXs.exitCode()).isEqualTo(1);
      assertThat(noXs.stderr()).contains("cannot connect to xenstore");
    }
  }
}
