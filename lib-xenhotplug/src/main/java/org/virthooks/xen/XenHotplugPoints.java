package org.virthooks.xen;

import java.util.List;
import java.util.Optional;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hotplug.HotplugPhase;

/**
 * The hook points of Xen's hotplug scripts. Every call carries the guest (domid, and its name
 * from xenstore when there is one), the raw words as its action, attributes {@code env.<NAME>}
 * (the environment variables of {@link XenHotplugRunner#ENVIRONMENT} the call had) and
 * {@code backend.<key>} (the keys under the backend path), and as its context a
 * {@link org.virthooks.core.hotplug.HotplugRequest} (block) or a {@link VifRequest} (network).
 *
 * <table>
 *   <caption>script call → hook points</caption>
 *   <tr><th>call</th><th>points, in order</th><th>document</th><th>a refusal or failure</th></tr>
 *   <tr><td>libxl {@code add} (vbd)</td><td>before:block.prepare, filter:block.add</td>
 *       <td>block.add: the device's path, absent at first</td><td>hotplug-error, hotplug-status =
 *       error (busy for a {@code HotplugException.busy}), exit 1</td></tr>
 *   <tr><td>libxl {@code remove} (vbd)</td><td>after:block.remove, after:block.unprepare</td>
 *       <td>-</td><td>every hook of both runs; every failure is reported (hotplug-error,
 *       exit 1), which libxl logs and goes on</td></tr>
 *   <tr><td>HOTPLUG_PATH {@code version}</td><td>filter:block.version</td><td>the version, "1"
 *       at first</td><td>hotplug-error, exit 1</td></tr>
 *   <tr><td>HOTPLUG_PATH {@code prepare} / {@code add} / {@code localattach}</td>
 *       <td>before:block.prepare / filter:block.add / filter:block.localattach</td>
 *       <td>add, localattach: the device's path</td><td>hotplug-error, exit 1</td></tr>
 *   <tr><td>HOTPLUG_PATH {@code remove} / {@code localdetach} / {@code unprepare}</td>
 *       <td>after:block.remove / after:block.localdetach / after:block.unprepare</td><td>-</td>
 *       <td>hotplug-error, exit 1</td></tr>
 *   <tr><td>{@code online type_if=vif}</td><td>before:vif.online</td><td>-</td>
 *       <td>hotplug-error, hotplug-status = error, exit 1</td></tr>
 *   <tr><td>{@code offline type_if=vif}</td><td>after:vif.offline</td><td>-</td>
 *       <td>the same, reported</td></tr>
 *   <tr><td>{@code add} / {@code remove type_if=tap}</td><td>before:tap.add / after:tap.remove</td>
 *       <td>-</td><td>as vif</td></tr>
 * </table>
 * At block.add and block.localattach a hook that supplies the device answers
 * {@code Verdict.rewrite("/dev/loop3")}; a later hook sees that path and may replace it or
 * refuse. The runner reads the device numbers from the final path's node. A chain that ends
 * without a path refuses: nobody supplied a device. At before:vif.online and before:tap.add a
 * point without any hook refuses too (nothing would connect the interface).
 */
public final class XenHotplugPoints {
  private XenHotplugPoints() {}

  /** The interface version (HOTPLUG_PATH only): hooks may answer another number. */
  public static final HookPoint BLOCK_VERSION = HookPoint.filter("block.version");
  /** Before the disk is connected; slow work ahead of add. */
  public static final HookPoint BLOCK_PREPARE = HookPoint.before("block.prepare");
  /** Connect the device: hooks supply its path. */
  public static final HookPoint BLOCK_ADD = HookPoint.filter("block.add");
  /** Disconnect the device; also after a failed add. */
  public static final HookPoint BLOCK_REMOVE = HookPoint.after("block.remove");
  /** Make the guest's disk a block device in this domain: hooks supply its path. */
  public static final HookPoint BLOCK_LOCALATTACH = HookPoint.filter("block.localattach");
  /** Undo localattach; also after a failed one. */
  public static final HookPoint BLOCK_LOCALDETACH = HookPoint.after("block.localdetach");
  /** Last of all: undo prepare (libxl's remove runs it even when remove failed). */
  public static final HookPoint BLOCK_UNPREPARE = HookPoint.after("block.unprepare");
  /** The backend vif is up: plug it into the network. */
  public static final HookPoint VIF_ONLINE = HookPoint.before("vif.online");
  /** The backend vif is going away. */
  public static final HookPoint VIF_OFFLINE = HookPoint.after("vif.offline");
  /** The emulated NIC's tap device appeared. */
  public static final HookPoint TAP_ADD = HookPoint.before("tap.add");
  /** The tap device is going away. */
  public static final HookPoint TAP_REMOVE = HookPoint.after("tap.remove");

  /** The block points. */
  public static final List<HookPoint> BLOCK = List.of(BLOCK_VERSION, BLOCK_PREPARE, BLOCK_ADD,
      BLOCK_REMOVE, BLOCK_LOCALATTACH, BLOCK_LOCALDETACH, BLOCK_UNPREPARE);
  /** The network points. */
  public static final List<HookPoint> NETWORK = List.of(VIF_ONLINE, VIF_OFFLINE, TAP_ADD,
      TAP_REMOVE);
  /** Every point, for registering one hook everywhere (an events script). */
  public static final List<HookPoint> ALL = List.of(BLOCK_VERSION, BLOCK_PREPARE, BLOCK_ADD,
      BLOCK_REMOVE, BLOCK_LOCALATTACH, BLOCK_LOCALDETACH, BLOCK_UNPREPARE, VIF_ONLINE,
      VIF_OFFLINE, TAP_ADD, TAP_REMOVE);

  /** The point of a block phase. */
  public static HookPoint block(HotplugPhase phase) {
    return switch (phase) {
      case VERSION -> BLOCK_VERSION;
      case PREPARE -> BLOCK_PREPARE;
      case ADD -> BLOCK_ADD;
      case REMOVE -> BLOCK_REMOVE;
      case LOCALATTACH -> BLOCK_LOCALATTACH;
      case LOCALDETACH -> BLOCK_LOCALDETACH;
      case UNPREPARE -> BLOCK_UNPREPARE;
    };
  }

  /**
   * The point of a network script's action ({@code online}, {@code offline} for a vif;
   * {@code add}, {@code remove} for a tap), empty for any other.
   */
  public static Optional<HookPoint> network(String action) {
    return Optional.ofNullable(switch (action) {
      case "online" -> VIF_ONLINE;
      case "offline" -> VIF_OFFLINE;
      case "add" -> TAP_ADD;
      case "remove" -> TAP_REMOVE;
      default -> null;
    });
  }
}
