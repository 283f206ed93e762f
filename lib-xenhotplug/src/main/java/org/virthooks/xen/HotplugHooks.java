package org.virthooks.xen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.virthooks.core.hook.Hook;
import org.virthooks.core.hook.HookBuilder;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistration;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import org.virthooks.core.hotplug.HotplugAnswer;
import org.virthooks.core.hotplug.HotplugException;
import org.virthooks.core.hotplug.HotplugHandler;
import org.virthooks.core.hotplug.HotplugPhase;
import org.virthooks.core.hotplug.HotplugRequest;

/**
 * A {@link HotplugHandler} or a {@link NetworkHandler} as hooks at {@link XenHotplugPoints}: one
 * hook per point, the convenient way to write Xen hotplug hooks.
 *
 * <pre>{@code
 * HotplugHooks.register(registry, new StockBlockHandler());
 * HotplugHooks.block(myHandler).name("iscsi").priority(50).deadline(Duration.ofSeconds(20))
 *     .register(registry);
 * }</pre>
 *
 * <p>A block handler's add and localattach answer {@code Verdict.rewrite(path)} with the device it
 * returned, after checking that the path is a block device with the numbers claimed
 * ({@link BlockDevices#verify}); it replaces whatever an earlier hook of the chain supplied.
 * Version answers its number. What the handler throws is thrown out of the hook, so the runner
 * reads its message for {@code hotplug-error} and sees {@link HotplugException#isBusy()}.
 */
public final class HotplugHooks {
  /** The hooks' name when none is given for a block handler. */
  public static final String BLOCK_HANDLER = "block-handler";
  /** The hooks' name when none is given for a network handler. */
  public static final String NETWORK_HANDLER = "network-handler";

  private HotplugHooks() {}

  /** Registers {@code handler} at every block point, named {@link #BLOCK_HANDLER}, priority 0. */
  public static List<HookRegistration> register(HookRegistry registry, HotplugHandler handler) {
    return block(handler).register(registry);
  }

  /** Registers {@code handler} at every network point, named {@link #NETWORK_HANDLER}. */
  public static List<HookRegistration> register(HookRegistry registry, NetworkHandler handler) {
    return network(handler).register(registry);
  }

  /** Starts registering a block handler. */
  public static Registrar block(HotplugHandler handler) {
    Map<HookPoint, Hook> hooks = new LinkedHashMap<>();
    for (HotplugPhase phase : HotplugPhase.values()) {
      hooks.put(XenHotplugPoints.block(phase), blockHook(handler, phase));
    }
    return new Registrar(BLOCK_HANDLER, hooks);
  }

  /** Starts registering a network handler. */
  public static Registrar network(NetworkHandler handler) {
    Map<HookPoint, Hook> hooks = new LinkedHashMap<>();
    for (HookPoint p : XenHotplugPoints.NETWORK) {
      hooks.put(p, networkHook(handler, p));
    }
    return new Registrar(NETWORK_HANDLER, hooks);
  }

  private static Hook blockHook(HotplugHandler handler, HotplugPhase phase) {
    return call -> {
      HotplugRequest r = call.context(HotplugRequest.class).orElseThrow(() ->
          new HotplugException("no hotplug request came with the call at " + call.point()));
      if (r.phase() != phase) {
        // the point decides what is asked of the handler, whoever built the request
        r = new HotplugRequest(phase, r.guestDomid(), r.deviceId(), r.params(), r.mode(),
            r.backend(), r.environment());
      }
      HotplugAnswer a = HotplugAnswer.call(handler, r);
      if (a.device().isPresent()) {
        return Verdict.rewrite(BlockDevices.verify(a.device().get()).path().toString());
      }
      if (a.version().isPresent()) {
        return Verdict.rewrite(Integer.toString(a.version().getAsInt()));
      }
      return Verdict.proceed();
    };
  }

  private static Hook networkHook(NetworkHandler handler, HookPoint point) {
    return call -> {
      VifRequest r = call.context(VifRequest.class).orElseThrow(() ->
          new HotplugException("no vif request came with the call at " + call.point()));
      if (point.equals(XenHotplugPoints.VIF_ONLINE)) {
        handler.online(r);
      } else if (point.equals(XenHotplugPoints.VIF_OFFLINE)) {
        handler.offline(r);
      } else if (point.equals(XenHotplugPoints.TAP_ADD)) {
        handler.add(r);
      } else {
        handler.remove(r);
      }
      return Verdict.proceed();
    };
  }

  /** Name, priority and deadline of one handler's hooks; finish with {@link #register}. */
  public static final class Registrar {
    private final Map<HookPoint, Hook> hooks;
    private String name;
    private int priority;
    private Duration deadline;

    private Registrar(String name, Map<HookPoint, Hook> hooks) {
      this.name = name;
      this.hooks = hooks;
    }

    /** The hooks' name, unique at each point; shown in refusals and failure reports. */
    public Registrar name(String hooksName) {
      this.name = hooksName;
      return this;
    }

    /** Lower runs first; ties are broken by name. Default 0. */
    public Registrar priority(int hooksPriority) {
      this.priority = hooksPriority;
      return this;
    }

    /** How long each call may take; default the registry's, cut to the call's budget. */
    public Registrar deadline(Duration hooksDeadline) {
      this.deadline = hooksDeadline;
      return this;
    }

    /**
     * Registers one hook per point, all or none: a handler serving add without remove would
     * leave devices behind.
     *
     * @throws IllegalArgumentException when a hook of that name is at one of the points already
     */
    public List<HookRegistration> register(HookRegistry registry) {
      List<HookRegistration> done = new ArrayList<>();
      try {
        for (Map.Entry<HookPoint, Hook> e : hooks.entrySet()) {
          HookBuilder b = registry.hook(e.getKey()).name(name).priority(priority);
          if (deadline != null) {
            b.deadline(deadline);
          }
          done.add(b.register(e.getValue()));
        }
      } catch (RuntimeException e) {
        done.forEach(HookRegistration::close);
        throw e;
      }
      return List.copyOf(done);
    }
  }
}
