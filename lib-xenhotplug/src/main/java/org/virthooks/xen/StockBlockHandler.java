package org.virthooks.xen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.core.script.ScriptRunner;
import org.virthooks.xen.internal.XenCall;

/**
 * A drop-in for Xen's stock {@code block} script. {@code params} naming a block device (a
 * relative name is taken under {@code /dev}, links are followed) is used as it is; {@code params}
 * naming a regular file is attached to a free loop device with {@code losetup} and detached on
 * remove. The stock script's sharing rules apply: a device mounted here in a conflicting mode, a
 * read-only file asked for read-write, or a file already loop-attached in a conflicting mode is
 * {@link HotplugException#busy busy}; mode {@code !} skips the checks. Other guests' use of a
 * device is checked by the runner in xenstore, which also writes {@code node} (the loop device)
 * for a file, as the stock script does, so that remove finds it.
 */
public final class StockBlockHandler implements HotplugHandler {
  private static final Duration TOOL_DEADLINE = Duration.ofSeconds(10);

  private final String losetup;
  private final Path procMounts;

  /** A handler using {@code losetup} from the PATH and {@code /proc/mounts}. */
  public StockBlockHandler() {
    this("losetup", Path.of("/proc/mounts"));
  }

  /** A handler using the given {@code losetup} program and mount table. */
  public StockBlockHandler(String losetup, Path procMounts) {
    this.losetup = losetup;
    this.procMounts = procMounts;
  }

  @Override
  public BlockDevice add(HotplugRequest request) throws HotplugException {
    String p = request.params().filter(s -> !s.isBlank())
        .orElseThrow(() -> new HotplugException("no params: the disk's target is not set"));
    String mode = XenCall.canonicalMode(request.mode().orElse("w"));
    Path given = Path.of(p.startsWith("/") ? p : "/dev/" + p);
    if (!BlockDevices.exists(given)) {
      throw new HotplugException(given + " does not exist.");
    }
    Path target = BlockDevices.canonical(given);
    if (BlockDevices.isBlockDevice(target)) {
      BlockDevice dev = BlockDevices.inspect(target);
      if (!mode.equals("!")) {
        checkMounts(dev, mode, "Device " + target + " is mounted ");
      }
      return dev;
    }
    if (!BlockDevices.isRegularFile(target)) {
      throw new HotplugException(target + " is not a block device.");
    }
    return attachFile(target, mode);
  }

  private BlockDevice attachFile(Path file, String mode) throws HotplugException {
    if (mode.equals("w") && !Files.isWritable(file)) {
      throw HotplugException.busy("File " + file + " is read-only, and so I will not mount it "
          + "read-write in a guest domain.");
    }
    if (!mode.equals("!")) {
      for (Path loop : loopsOf(file)) {
        BlockDevice used = BlockDevices.inspect(loop);
        checkMounts(used, mode, "File " + file + " is loopback-mounted through " + loop
            + ", which is mounted ");
        // attached already means a guest (or someone) uses it; read-only may share read-only
        if (mode.equals("w") || !loopIsReadOnly(loop)) {
          throw HotplugException.busy("File " + file + " is loopback-mounted through " + loop
              + ", which is in use " + (mode.equals("w") ? "" : "read-write ")
              + "elsewhere, and so cannot be mounted " + (mode.equals("w") ? "" : "read-only ")
              + "now.");
        }
      }
    }
    List<String> cmd = new ArrayList<>(List.of(losetup, "-f", "--show"));
    if (mode.equals("r")) {
      cmd.add("-r");
    }
    cmd.add(file.toString());
    ScriptResult r = tool(cmd);
    String loop = r.stdout().strip();
    if (!r.succeeded() || loop.isEmpty()) {
      throw new HotplugException("Failed to find an unused loop device for " + file + ": "
          + r.errorLine());
    }
    return BlockDevices.inspect(Path.of(loop));
  }

  @Override
  public void remove(HotplugRequest request) throws HotplugException {
    String p = request.params().orElse("");
    if (!p.startsWith("/") || !BlockDevices.isRegularFile(Path.of(p))) {
      return; // phy: nothing was attached
    }
    String node = request.backend().getOrDefault("node",
        request.backend().get("physical-device-path"));
    if (node == null || !node.startsWith("/dev/loop")) {
      return; // add failed before attaching: nothing to undo
    }
    Path file = BlockDevices.canonical(Path.of(p));
    if (!file.equals(backingFile(Path.of(node)))) {
      return; // already detached, or reused for something else since: not ours to detach
    }
    ScriptResult r = tool(List.of(losetup, "-d", node));
    if (!r.succeeded()) {
      throw new HotplugException("losetup -d " + node + " failed: " + r.errorLine());
    }
  }

  /** Loop devices currently backed by {@code file}. */
  List<Path> loopsOf(Path file) throws HotplugException {
    ScriptResult r = tool(List.of(losetup, "-j", file.toString()));
    List<Path> out = new ArrayList<>();
    for (String line : r.stdout().split("\\R")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.startsWith("/dev/")) {
        out.add(Path.of(line.substring(0, colon)));
      }
    }
    return out;
  }

  private static Path backingFile(Path loop) {
    Path f = Path.of("/sys/block", loop.getFileName().toString(), "loop", "backing_file");
    try {
      return Path.of(Files.readString(f, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean loopIsReadOnly(Path loop) {
    try {
      return Files.readString(Path.of("/sys/block", loop.getFileName().toString(), "ro"))
          .strip().equals("1");
    } catch (IOException e) {
      return false;
    }
  }

  /** The stock check against this domain's mounts: any mount blocks w, a rw mount blocks r. */
  private void checkMounts(BlockDevice dev, String mode, String prefix) throws HotplugException {
    List<String> lines;
    try {
      lines = Files.readAllLines(procMounts, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return; // no mount table to consult (not Linux): the guest check still applies
    }
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 4 || !f[0].startsWith("/")) {
        continue;
      }
      boolean ro = ("," + f[3] + ",").contains(",ro,");
      if (mode.equals("r") && ro) {
        continue;
      }
      Path src = Path.of(f[0]);
      if (!BlockDevices.isBlockDevice(src)) {
        continue;
      }
      BlockDevice m;
      try {
        m = BlockDevices.inspect(src);
      } catch (HotplugException e) {
        continue;
      }
      if (m.major() == dev.major() && m.minor() == dev.minor()) {
        throw HotplugException.busy(prefix + (mode.equals("w") ? "" : "read-write ")
            + "in the privileged domain, and so cannot be mounted "
            + (mode.equals("w") ? "" : "read-only ") + "by a guest.");
      }
    }
  }

  private static ScriptResult tool(List<String> cmd) throws HotplugException {
    try (ScriptRunner runner = new ScriptRunner()) {
      return runner.run(new ScriptInvocation(cmd, Map.of("LANG", "C"), null), TOOL_DEADLINE);
    } catch (IOException e) {
      throw new HotplugException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    }
  }
}
