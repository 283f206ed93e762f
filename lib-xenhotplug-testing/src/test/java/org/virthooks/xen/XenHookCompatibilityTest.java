package org.virthooks.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.relay.RelayServer;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.core.testing.HookAdapterCompatibilityKit;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * Xen's hotplug hooks as libxl calls them: the relay client {@code xen install --mode relay}
 * writes, exec'd as {@code block-virthooks add|remove} with libxl's environment
 * ({@code XENBUS_PATH} and the rest) against the in-memory xenstore, answered by
 * {@link XenHotplugRunner} behind a {@link RelayServer}. The points are libxl's add
 * (before:block.prepare, then filter:block.add) and remove (after:block.remove); the document
 * handed over is the disk's target ({@code params}), and block.add's document is the device's
 * path, which the filter hooks supply as two real loop devices and libxl reads back from
 * {@code physical-device-path}.
 */
@Timeout(120)
class XenHookCompatibilityTest extends HookAdapterCompatibilityKit {
  @TempDir
  Path dir;

  private XenstoreServer xenstore;
  private LoopFiles loops;
  private Path firstDevice;
  private Path secondDevice;
  private XenHotplugRunner runner;
  private RelayServer relay;

  private Path socket() {
    return dir.resolve("relay.sock");
  }

  @Override
  protected void serve(HookRegistry registry) throws Exception {
    xenstore = XenstoreServer.start(dir.resolve("xs.sock"));
    xenstore.write("/local/domain/5/name", "kit-guest");
    loops = new LoopFiles();
    firstDevice = loops.attach(loops.image(dir, "first.img"));
    secondDevice = loops.attach(loops.image(dir, "second.img"));
    java.nio.file.Files.createDirectories(dir.resolve("scripts")); // the installer never makes it
    runner = XenHotplugRunner.builder().registry(registry).instance("kit").build();
    relay = RelayServer.builder(socket(), runner).start();
  }

  @Override
  protected void stopServing() throws Exception {
    try (LoopFiles l = loops; XenstoreServer x = xenstore; XenHotplugRunner r = runner;
        RelayServer s = relay) {
      // closed in reverse order: the relay first, the loop devices last
    }
  }

  @Override
  protected HookPoint beforePoint() {
    return XenHotplugPoints.BLOCK_PREPARE;
  }

  @Override
  protected HookPoint filterPoint() {
    return XenHotplugPoints.BLOCK_ADD;
  }

  @Override
  protected HookPoint afterPoint() {
    return XenHotplugPoints.BLOCK_REMOVE;
  }

  /** The disk's target as the guest's configuration names it: libxl writes it as params. */
  @Override
  protected String document() {
    return "iscsi:iqn.2024-01.org.virthooks:kit";
  }

  /** block.add starts without a device: the hooks supply it. */
  @Override
  protected Optional<String> filterInput() {
    return Optional.empty();
  }

  /**
   * The first hook supplies one loop device when it received none, the second replaces it with
   * another only when it received the first's: anything else is a path that is no device, and
   * the add fails.
   */
  @Override
  protected String rewrite(Optional<String> received, String hook) {
    if (hook.equals("first")) {
      return received.isEmpty() ? firstDevice.toString() : "/nonexistent/first-received-a-path";
    }
    return received.equals(Optional.of(firstDevice.toString())) ? secondDevice.toString()
        : "/nonexistent/second-did-not-receive-the-first-device";
  }

  /** libxl reads the device from xenstore; its numbers must be the node's. */
  @Override
  protected String answeredDocument(ScriptResult r) throws Exception {
    String path = xenstore.read(LibxlBlockHotplugTest.ABS + "/physical-device-path").orElse("");
    assertEquals(Optional.of(BlockDevices.inspect(Path.of(path)).majorMinorHex()),
        xenstore.read(LibxlBlockHotplugTest.ABS + "/physical-device"));
    assertEquals(Optional.of("connected"),
        xenstore.read(LibxlBlockHotplugTest.ABS + "/hotplug-status"));
    return path;
  }

  /**
   * libxl logs a failed remove script and goes on removing the device ("on disconnection ignore
   * error, and continue with the remove process", libxl_device.c): the runner reports every
   * failure as the stock scripts report theirs, exit 1 and {@code hotplug-error}, for that log.
   */
  @Override
  protected void assertAfterPointFailuresDoNotStop(ScriptResult r) {
    assertEquals(1, r.exitCode(), r.stderr());
    String error = xenstore.read(LibxlBlockHotplugTest.ABS + "/hotplug-error").orElse("");
    assertTrue(error.contains("the kit's hook broke") && error.contains("too late"), error);
  }

  private String action(HookPoint point) {
    return point.equals(XenHotplugPoints.BLOCK_REMOVE) ? "remove" : "add";
  }

  @Override
  protected ScriptResult call(HookPoint point, String document) throws Exception {
    // what libxl writes under the backend before it runs the script
    LibxlBlockHotplugTest.libxlBackend(document, "w")
        .forEach((k, v) -> xenstore.write(LibxlBlockHotplugTest.ABS + "/" + k, v));
    Path client = install("block-virthooks", socket(), UnreachablePolicy.REFUSE);
    return LibxlExec.block(client, action(point), LibxlBlockHotplugTest.BE, xenstore.socket());
  }

  @Override
  protected ScriptResult callUnreachable(HookPoint point, UnreachablePolicy policy)
      throws Exception {
    Path client = install("block-" + policy.name().toLowerCase(Locale.ROOT),
        dir.resolve("nobody-listens.sock"), policy);
    return LibxlExec.block(client, action(point), LibxlBlockHotplugTest.BE, xenstore.socket());
  }

  private Path install(String name, Path sock, UnreachablePolicy policy) throws IOException {
    return XenHotplugInstaller.installRelay(dir.resolve("scripts"), name, sock, policy).script();
  }
}
