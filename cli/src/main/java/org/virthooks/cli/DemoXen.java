package org.virthooks.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virthooks.core.EventSink;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.XenHotplugRunner;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * The demo's Xen part: the in-memory xenstore, and libxl's block hotplug calls (add, then remove)
 * answered by a Java handler, once accepted and once refused, exactly as libxl would exec them.
 */
final class DemoXen {
  private static final String BACKEND = "backend/vbd/7/51712";

  private DemoXen() {}

  /** A handler that only lends out devices under /dev and refuses everything else. */
  private static final class LendExistingDevice implements HotplugHandler {
    @Override
    public BlockDevice add(HotplugRequest r) throws HotplugException {
      String target = r.params().orElseThrow(() -> new HotplugException("no params"));
      if (!target.startsWith("/dev/")) {
        throw new HotplugException("policy: only host block devices may be attached, not "
            + target);
      }
      try {
        Object rdev = Files.getAttribute(Path.of(target), "unix:rdev");
        return BlockDevice.fromRdev(Path.of(target), ((Number) rdev).longValue());
      } catch (java.io.IOException e) {
        throw new HotplugException("cannot inspect " + target + ": " + e.getMessage());
      }
    }
  }

  /** Runs the scenario, publishing into {@code sink}; returns a one-line note for the summary. */
  static String run(EventSink sink) throws Exception {
    Optional<Path> device = List.of("/dev/loop0", "/dev/vda", "/dev/sda", "/dev/xvda",
        "/dev/nvme0n1").stream().map(Path::of).filter(Files::exists).findFirst();
    if (device.isEmpty()) {
      return "xen: no block device on this machine to lend to a guest; skipped";
    }
    Path dir = Files.createTempDirectory("virthooks-demo-xen");
    Path sock = dir.resolve("xenstore.sock");
    try (XenstoreServer xs = XenstoreServer.start(sock);
        XenHotplugRunner runner = XenHotplugRunner.builder().blockHandler(new LendExistingDevice())
            .eventSink(sink).instance("demo").build()) {
      String abs = xs.homePath() + "/" + BACKEND;
      StringBuilder note = new StringBuilder("xen: ");
      for (String target : List.of(device.get().toString(), "/srv/images/untrusted.img")) {
        xs.rm(abs);
        // what libxl writes before it runs the script
        Map.of("params", target, "mode", "w", "frontend-id", "7", "type", "phy",
            "script", "/etc/xen/scripts/block-virthooks").forEach((k, v) -> xs.write(abs + "/" + k, v));
        ScriptResult add = runner.run(libxl("add", sock));
        note.append(target).append(" → ").append(xs.read(abs + "/hotplug-status").orElse("-"));
        xs.read(abs + "/physical-device").ifPresent(d -> note.append(" (").append(d).append(')'));
        if (add.exitCode() == 0) {
          runner.run(libxl("remove", sock));
        } else {
          note.append(": ").append(xs.read(abs + "/hotplug-error").orElse(add.errorLine()));
        }
        note.append("; ");
      }
      return note.substring(0, note.length() - 2);
    } finally {
      Files.deleteIfExists(sock);
      Files.deleteIfExists(dir);
    }
  }

  private static ScriptInvocation libxl(String action, Path sock) {
    return new ScriptInvocation(List.of("/etc/xen/scripts/block-virthooks", action), Map.of(
        "script", "/etc/xen/scripts/block-virthooks", "XENBUS_TYPE", "vbd",
        "XENBUS_PATH", BACKEND, "XENBUS_BASE_PATH", "backend",
        "XENSTORED_PATH", sock.toString()), null);
  }
}
