package org.virthooks.xen.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.DomainRef;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceType;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugPhase;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.VifRequest;
import org.virthooks.xen.XenHotplugPoints;

/**
 * libxl's convention (every Xen since 4.2): {@code XENBUS_PATH} (relative), {@code add} /
 * {@code remove} for block devices, {@code online} / {@code offline type_if=vif} and
 * {@code add} / {@code remove type_if=tap} for network ones. A block add runs block.prepare then
 * block.add and writes {@code node} (a file attached to a loop device, the stock script's rule),
 * {@code physical-device} (hex major:minor), {@code physical-device-path} and
 * {@code hotplug-status = connected}; a failure writes {@code hotplug-error} and
 * {@code hotplug-status = error} (or {@code busy}) and exits 1; an add whose
 * {@code physical-device} exists does nothing. A remove runs block.remove then block.unprepare.
 */
public final class LibxlProtocol {
  /** Exit status of a call that is not a hotplug call. */
  private static final int USAGE = 2;

  private final XenCall call;
  private final String path;
  private final String type;
  private final OptionalInt guest;
  private final Optional<String> devid;

  private LibxlProtocol(XenCall call) {
    this.call = call;
    this.path = call.env().get("XENBUS_PATH");
    String[] parts = path.split("/");
    // backend/<type>/<domid>/<devid>: the type is also in XENBUS_TYPE, the ids only here
    this.type = call.env().getOrDefault("XENBUS_TYPE",
        parts.length >= 3 ? parts[parts.length - 3] : "");
    this.guest = parts.length >= 2 ? XenCall.parseInt(parts[parts.length - 2])
        : OptionalInt.empty();
    this.devid = parts.length >= 1 ? Optional.of(parts[parts.length - 1]) : Optional.empty();
  }

  /** Serves a call that has {@code XENBUS_PATH}. */
  public static ScriptResult run(XenCall call) throws IOException {
    String bad = XsPaths.problem(call.env().get("XENBUS_PATH"));
    if (bad != null) {
      return ScriptResult.failed(USAGE, "XENBUS_PATH '" + call.env().get("XENBUS_PATH")
          + "' is not a xenstore path: " + bad + "\n");
    }
    return new LibxlProtocol(call).run();
  }

  private ScriptResult run() throws IOException {
    String typeIf = null;
    for (String a : call.argv().subList(1, call.argv().size())) {
      if (a.startsWith("type_if=")) {
        typeIf = a.substring("type_if=".length());
      }
    }
    if (type.equals("vif") || typeIf != null) {
      return network(typeIf == null ? "vif" : typeIf);
    }
    return switch (call.op()) {
      case "add" -> blockAdd();
      case "remove" -> blockRemove();
      default -> ScriptResult.failed(USAGE, "unknown block hotplug operation '" + call.op()
          + "' (expected add or remove)\n");
    };
  }

  private HotplugRequest request(HotplugPhase phase, Map<String, String> backend) {
    return new HotplugRequest(phase, guest, devid, Optional.ofNullable(backend.get("params")),
        Optional.ofNullable(backend.get("mode")), backend, call.keptEnv());
  }

  private XenCall.Answer invoke(HotplugPhase phase, Optional<DomainRef> dom,
      Map<String, String> backend) {
    return call.invoke(XenHotplugPoints.block(phase), dom, call.attributes(backend),
        request(phase, backend), null);
  }

  private ScriptResult blockAdd() throws IOException {
    if (call.xs().exists(path + "/physical-device")) {
      // the stock script's rule: called twice by some configurations, the second does nothing
      return ScriptResult.ok("");
    }
    Map<String, String> backend = call.readDir(path);
    Optional<DomainRef> dom = call.domain(guest);
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("backend", path);
    try {
      invoke(HotplugPhase.PREPARE, dom, backend).orThrow();
      BlockDevice dev = XenCall.device(invoke(HotplugPhase.ADD, dom, backend).orThrow(),
          XenHotplugPoints.BLOCK_ADD);
      Map<String, String> written = new LinkedHashMap<>();
      if (loopOfFile(backend.get("params"), dev)) {
        // the stock script records the loop device as "node" so that remove finds it
        written.put("node", dev.path().toString());
      }
      // the order of the stock script's write_dev: libxl watches hotplug-status, so it is last
      written.put("physical-device", dev.majorMinorHex());
      written.put("physical-device-path", dev.path().toString());
      try {
        checkSharing(dev, backend.getOrDefault("mode", "w"));
      } catch (HotplugException busy) {
        // undo what add did (a loop device), as the stock script never made one; remove finds it
        // through the keys a successful add would have written
        Map<String, String> undo = new LinkedHashMap<>(backend);
        undo.putAll(written);
        invoke(HotplugPhase.REMOVE, dom, undo); // the busy verdict is what libxl needs to hear
        throw busy;
      }
      for (Map.Entry<String, String> e : written.entrySet()) {
        call.xs().write(path + "/" + e.getKey(), e.getValue());
      }
      call.xs().write(path + "/hotplug-status", "connected");
      attrs.put("outcome", "ok");
      attrs.put("physical-device", dev.majorMinorHex());
      attrs.put("physical-device-path", dev.path().toString());
      call.publish(Operation.ADD, ResourceType.VDISK, dom, devid, type + " add", attrs);
      return ScriptResult.ok("");
    } catch (HotplugException e) {
      reportFailure(e);
      attrs.put("outcome", e.isBusy() ? "busy" : "failed");
      attrs.put("error", e.getMessage());
      call.publish(Operation.ADD, ResourceType.VDISK, dom, devid, type + " add", attrs);
      return ScriptResult.failed(1, e.getMessage() + "\n");
    }
  }

  /** The stock script's rule for {@code node}: params names a file, attached to a loop device. */
  private static boolean loopOfFile(String params, BlockDevice dev) {
    try {
      return params != null && dev.path().toString().startsWith("/dev/loop")
          && Files.isRegularFile(Path.of(params));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private ScriptResult blockRemove() throws IOException {
    Map<String, String> backend = call.readDir(path);
    Optional<DomainRef> dom = call.domain(guest);
    // unprepare runs even when remove failed: it undoes prepare, which did succeed
    XenCall.Answer removed = invoke(HotplugPhase.REMOVE, dom, backend);
    XenCall.Answer unprepared = invoke(HotplugPhase.UNPREPARE, dom, backend);
    XenCall.Answer both = XenCall.joined(List.of(removed, unprepared));
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("backend", path);
    attrs.put("outcome", both.failure() == null ? "ok" : "failed");
    call.publish(Operation.REMOVE, ResourceType.VDISK, dom, devid, type + " remove", attrs);
    try {
      both.orThrow();
      return ScriptResult.ok("");
    } catch (HotplugException e) {
      // libxl logs a failed remove and goes on removing: the status is for its log
      reportFailure(e);
      return ScriptResult.failed(1, e.getMessage() + "\n");
    }
  }

  /**
   * The stock script's check_sharing against other guests: a device used read-write by
   * another guest cannot be used at all, one used read-only only read-only.
   */
  private void checkSharing(BlockDevice dev, String mode) throws IOException, HotplugException {
    String m = XenCall.canonicalMode(mode);
    if (m.equals("!")) {
      return;
    }
    String base = call.env().getOrDefault("XENBUS_BASE_PATH", "backend") + "/" + type;
    String mm = dev.majorMinorHex();
    for (String dom : call.listOrEmpty(base)) {
      for (String d : call.listOrEmpty(base + "/" + dom)) {
        String other = base + "/" + dom + "/" + d;
        if (other.equals(path) || (guest.isPresent() && dom.equals(
            Integer.toString(guest.getAsInt())))) {
          continue;
        }
        if (!mm.equals(call.xs().tryRead(other + "/physical-device").orElse(null))) {
          continue;
        }
        String otherMode = XenCall.canonicalMode(call.xs().tryRead(other + "/mode").orElse("w"));
        if (m.equals("w") || otherMode.equals("w")) {
          throw HotplugException.busy("Device " + dev.path() + " is mounted "
              + (m.equals("w") ? "" : "read-write ") + "in a guest domain, and so cannot be "
              + "mounted " + (m.equals("w") ? "" : "read-only ") + "now.");
        }
      }
    }
  }

  /** hotplug-error then hotplug-status in one transaction, as the scripts' fatal/ebusy. */
  private void reportFailure(HotplugException e) throws IOException {
    String status = e.isBusy() ? "busy" : "error";
    call.xs().transaction(tx -> {
      tx.write(path + "/hotplug-error", XenCall.oneLine(e.getMessage()));
      tx.write(path + "/hotplug-status", status);
      return null;
    });
  }

  private ScriptResult network(String typeIf) throws IOException {
    String op = call.op();
    Optional<HookPoint> point = XenHotplugPoints.network(op);
    if (point.isEmpty()) {
      return ScriptResult.failed(USAGE, "unknown network hotplug operation '" + op
          + "' (expected online, offline, add or remove)\n");
    }
    Map<String, String> backend = call.readDir(path);
    Optional<DomainRef> dom = call.domain(guest);
    VifRequest r = new VifRequest(op, typeIf, guest, devid,
        Optional.ofNullable(call.env().get("vif")), Optional.ofNullable(call.env().get("netdev")),
        backend, call.keptEnv());
    Operation evOp = point.get().phase() == HookPhase.AFTER ? Operation.REMOVE : Operation.ADD;
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("backend", path);
    attrs.put("type_if", typeIf);
    try {
      if (point.get().phase() == HookPhase.BEFORE && !call.hasHooks(point.get())) {
        // fail closed: "connected" with nobody having plugged the interface in would be a lie
        throw new HotplugException("no hook is registered at " + point.get()
            + ": nothing would connect " + r.vif().orElse("the interface"));
      }
      Map<String, String> a = call.attributes(backend);
      a.put("type_if", typeIf);
      call.invoke(point.get(), dom, a, r, null).orThrow();
      if (op.equals("online") && typeIf.equals("vif")) {
        call.xs().write(path + "/hotplug-status", "connected");
      }
      attrs.put("outcome", "ok");
      call.publish(evOp, ResourceType.VNET, dom, devid, "vif " + op, attrs);
      return ScriptResult.ok("");
    } catch (HotplugException e) {
      reportFailure(e);
      attrs.put("outcome", "failed");
      call.publish(evOp, ResourceType.VNET, dom, devid, "vif " + op, attrs);
      return ScriptResult.failed(1, e.getMessage() + "\n");
    }
  }
}
