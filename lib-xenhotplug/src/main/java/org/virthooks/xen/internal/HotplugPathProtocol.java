package org.virthooks.xen.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.virthooks.core.DomainRef;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceType;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hotplug.BlockDevice;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugPhase;
import org.virthooks.core.hotplug.HotplugRequest;
import org.virthooks.core.script.ScriptResult;
import org.virthooks.xen.XenHotplugPoints;

/**
 * The 2013 interface proposal's convention: {@code HOTPLUG_PATH}, {@code BACKEND_PATH}, one
 * argument per phase, each phase the block point of its name. Its ordering guarantees (add,
 * remove, localattach, localdetach only after a successful prepare) are kept across separate
 * calls in {@code HOTPLUG_PATH/virthooks}. Outputs: {@code HOTPLUG_PATH/version};
 * {@code BACKEND_PATH/physical-device}, {@code BACKEND_PATH/params} and {@code HOTPLUG_PATH/pdev}
 * after add; {@code HOTPLUG_PATH/pdev} after localattach; {@code HOTPLUG_PATH/hotplug-error} and
 * exit 1 on a failure.
 */
public final class HotplugPathProtocol {
  private static final int USAGE = 2;

  private final XenCall call;
  private final String hp;
  private final String bp;
  private final String state;

  private HotplugPathProtocol(XenCall call) {
    this.call = call;
    this.hp = call.env().get("HOTPLUG_PATH");
    String b = call.env().get("BACKEND_PATH");
    this.bp = b == null || b.isEmpty() ? null : b;
    this.state = hp + "/virthooks";
  }

  /** Serves a call that has {@code HOTPLUG_PATH}. */
  public static ScriptResult run(XenCall call) throws IOException {
    return new HotplugPathProtocol(call).run();
  }

  private ScriptResult run() throws IOException {
    String bad = XsPaths.problem(hp);
    if (bad != null) {
      return ScriptResult.failed(USAGE, "HOTPLUG_PATH '" + hp + "' is not a xenstore path: "
          + bad + "\n");
    }
    if (bp != null && XsPaths.problem(bp) != null) {
      return ScriptResult.failed(USAGE, "BACKEND_PATH '" + bp + "' is not a xenstore path: "
          + XsPaths.problem(bp) + "\n");
    }
    HotplugPhase phase;
    try {
      phase = HotplugPhase.parse(call.op());
    } catch (IllegalArgumentException e) {
      return ScriptResult.failed(USAGE, e.getMessage() + "\n");
    }
    if (phase.needsPrepare()
        && !"1".equals(call.xs().tryRead(state + "/prepared").orElse(null))) {
      return ScriptResult.failed(1, phase.argument() + " refused: prepare has not succeeded for "
          + hp + "\n");
    }
    if ((phase == HotplugPhase.ADD || phase == HotplugPhase.REMOVE) && bp == null) {
      return ScriptResult.failed(USAGE, phase.argument() + " needs BACKEND_PATH\n");
    }
    // /local/domain/<local>/libxl/hotplug/<guest>/<device>
    String[] parts = hp.split("/");
    OptionalInt guest = parts.length >= 2 ? XenCall.parseInt(parts[parts.length - 2])
        : OptionalInt.empty();
    Optional<String> dev = Optional.of(parts[parts.length - 1]);
    Map<String, String> backend = bp == null ? Map.of() : call.readDir(bp);
    HotplugRequest req = new HotplugRequest(phase, guest, dev, call.xs().tryRead(hp + "/params"),
        Optional.ofNullable(backend.get("mode")), backend, call.keptEnv());
    Optional<DomainRef> dom = call.domain(guest);
    HookPoint point = XenHotplugPoints.block(phase);
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("hotplug-path", hp);
    attrs.put("phase", phase.argument());
    try {
      Map<String, String> a = call.attributes(backend);
      a.put("hotplug-path", hp);
      Optional<String> doc = call.invoke(point, dom, a, req,
          phase == HotplugPhase.VERSION ? "1" : null).orThrow();
      switch (phase) {
        case VERSION -> call.xs().write(hp + "/version", Integer.toString(version(doc, point)));
        case PREPARE -> call.xs().write(state + "/prepared", "1");
        case ADD -> {
          BlockDevice d = XenCall.device(doc, point);
          call.xs().write(bp + "/physical-device", d.majorMinorHex());
          call.xs().write(bp + "/params", d.path().toString());
          call.xs().write(hp + "/pdev", d.path().toString());
          call.xs().write(state + "/add", "ok");
          attrs.put("physical-device", d.majorMinorHex());
        }
        case REMOVE -> call.xs().rm(state + "/add");
        case LOCALATTACH -> {
          call.xs().write(hp + "/pdev", XenCall.device(doc, point).path().toString());
          call.xs().write(state + "/localattach", "ok");
        }
        case LOCALDETACH -> call.xs().rm(state + "/localattach");
        case UNPREPARE -> call.xs().rm(state);
        default -> { }
      }
      attrs.put("outcome", "ok");
      publish(phase, dom, dev, attrs);
      return ScriptResult.ok("");
    } catch (HotplugException e) {
      if (phase == HotplugPhase.ADD || phase == HotplugPhase.LOCALATTACH) {
        // remembered so that remove / localdetach know what they clean up after
        call.xs().write(state + "/" + phase.argument(), "failed");
      }
      call.xs().write(hp + "/hotplug-error", XenCall.oneLine(e.getMessage()));
      attrs.put("outcome", e.isBusy() ? "busy" : "failed");
      publish(phase, dom, dev, attrs);
      return ScriptResult.failed(1, e.getMessage() + "\n");
    }
  }

  private static int version(Optional<String> doc, HookPoint point) throws HotplugException {
    String v = doc.orElse("").strip();
    OptionalInt n = XenCall.parseInt(v);
    if (n.isEmpty() || n.getAsInt() < 1) {
      throw new HotplugException("the hooks at " + point + " answered '" + v
          + "', which is no version number");
    }
    return n.getAsInt();
  }

  private void publish(HotplugPhase phase, Optional<DomainRef> dom, Optional<String> dev,
      Map<String, String> attrs) {
    if (phase == HotplugPhase.ADD || phase == HotplugPhase.REMOVE) {
      call.publish(phase == HotplugPhase.ADD ? Operation.ADD : Operation.REMOVE,
          ResourceType.VDISK, dom, dev, "hotplug " + phase.argument(), attrs);
    }
  }
}
