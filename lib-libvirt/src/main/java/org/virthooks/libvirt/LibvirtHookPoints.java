package org.virthooks.libvirt;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.virthooks.core.hook.HookPhase;
import org.virthooks.core.hook.HookPoint;

/**
 * The hook points of libvirt's hook scripts. Guest drivers (qemu, lxc, libxl, bhyve) share the
 * {@code domain.*} points; the driver is in the call's context and its {@code driver} attribute.
 *
 * <p>The phase of each point is what libvirt does with the script's failure, read in libvirt's
 * sources at each {@code virHookCall} (README, "What a refusal does", cites them): where the
 * caller checks the result the point can refuse ({@code before} or {@code filter}); where it is
 * ignored the point is an {@code after} point, since a refusal there would change nothing.
 * {@code started} is checked: the guest (or network) is already up, and a refusal makes libvirt
 * tear it down again and fail the start with the hook's message.
 *
 * <table>
 *   <caption>libvirt operation → hook point</caption>
 *   <tr><th>script operation</th><th>point</th><th>a refusal</th></tr>
 *   <tr><td>prepare begin</td><td>before:domain.prepare</td><td>aborts the start</td></tr>
 *   <tr><td>start begin</td><td>before:domain.start</td><td>aborts the start</td></tr>
 *   <tr><td>started begin</td><td>before:domain.started</td><td>the started guest is
 *       stopped again, the start fails</td></tr>
 *   <tr><td>stopped end</td><td>after:domain.stopped</td><td>- (ignored by libvirt)</td></tr>
 *   <tr><td>release end [reason]</td><td>after:domain.release</td><td>- (ignored)</td></tr>
 *   <tr><td>migrate begin</td><td>filter:domain.migrate</td><td>cancels the incoming migration</td></tr>
 *   <tr><td>restore begin</td><td>filter:domain.restore</td><td>cancels the restore</td></tr>
 *   <tr><td>reconnect begin</td><td>before:domain.reconnect</td><td>libvirt kills the guest</td></tr>
 *   <tr><td>attach begin</td><td>before:domain.attach</td><td>aborts the attach (no caller in
 *       current libvirt)</td></tr>
 *   <tr><td>network start begin</td><td>before:network.start</td><td>aborts the network start</td></tr>
 *   <tr><td>network started begin</td><td>before:network.started</td><td>the network is shut
 *       down again, the start fails</td></tr>
 *   <tr><td>network stopped / updated</td><td>after:network.*</td><td>- (stopped: ignored;
 *       updated: the update stays applied, only the API call would report an error)</td></tr>
 *   <tr><td>network port-created (plugged)</td><td>before:network.port-created</td><td>fails the port</td></tr>
 *   <tr><td>network port-deleted (unplugged)</td><td>after:network.port-deleted</td><td>- (ignored)</td></tr>
 *   <tr><td>daemon start / shutdown / reload</td><td>after:daemon.*</td><td>- (ignored)</td></tr>
 *   <tr><td>anything newer</td><td>after:&lt;object&gt;.other</td><td>- (exit 0)</td></tr>
 * </table>
 * Filter points: hooks may return {@code Verdict.rewrite(xml)}; the final document is printed
 * on stdout, which libvirt uses instead of its own (empty stdout = unchanged).
 */
public final class LibvirtHookPoints {
  private LibvirtHookPoints() {}

  /** Before resources are prepared for a start. */
  public static final HookPoint DOMAIN_PREPARE = HookPoint.before("domain.prepare");
  /** Just before the guest process starts. */
  public static final HookPoint DOMAIN_START = HookPoint.before("domain.start");
  /**
   * The guest process started (its CPUs running, or paused as asked). libvirt checks the answer:
   * a refusal makes it stop the guest again ({@code stopped} and {@code release} follow) and fail
   * the start with the refusal's message.
   */
  public static final HookPoint DOMAIN_STARTED = HookPoint.before("domain.started");
  /** The guest stopped (also after a start that failed or was refused). */
  public static final HookPoint DOMAIN_STOPPED = HookPoint.after("domain.stopped");
  /** The guest's resources were released; the reason is the {@code extra} attribute. */
  public static final HookPoint DOMAIN_RELEASE = HookPoint.after("domain.release");
  /** An incoming migration: the XML may be rewritten. */
  public static final HookPoint DOMAIN_MIGRATE = HookPoint.filter("domain.migrate");
  /** A restore from a saved image: the XML may be rewritten. */
  public static final HookPoint DOMAIN_RESTORE = HookPoint.filter("domain.restore");
  /** libvirtd reconnects to a running guest after its own restart. */
  public static final HookPoint DOMAIN_RECONNECT = HookPoint.before("domain.reconnect");
  /** A device attach (unused by current libvirt). */
  public static final HookPoint DOMAIN_ATTACH = HookPoint.before("domain.attach");
  /** A guest operation this version does not know. */
  public static final HookPoint DOMAIN_OTHER = HookPoint.after("domain.other");
  /** A network is about to start. */
  public static final HookPoint NETWORK_START = HookPoint.before("network.start");
  /** A network started; a refusal makes libvirt shut it down again and fail the start. */
  public static final HookPoint NETWORK_STARTED = HookPoint.before("network.started");
  /** A network stopped. */
  public static final HookPoint NETWORK_STOPPED = HookPoint.after("network.stopped");
  /** A port is being created on a network (a guest interface plugged in). */
  public static final HookPoint NETWORK_PORT_CREATED = HookPoint.before("network.port-created");
  /** A port was deleted. */
  public static final HookPoint NETWORK_PORT_DELETED = HookPoint.after("network.port-deleted");
  /** A network's definition was updated. */
  public static final HookPoint NETWORK_UPDATED = HookPoint.after("network.updated");
  /** A network operation this version does not know. */
  public static final HookPoint NETWORK_OTHER = HookPoint.after("network.other");
  /** libvirtd started. */
  public static final HookPoint DAEMON_START = HookPoint.after("daemon.start");
  /** libvirtd is shutting down. */
  public static final HookPoint DAEMON_SHUTDOWN = HookPoint.after("daemon.shutdown");
  /** libvirtd reloads on SIGHUP. */
  public static final HookPoint DAEMON_RELOAD = HookPoint.after("daemon.reload");
  /** A daemon operation this version does not know. */
  public static final HookPoint DAEMON_OTHER = HookPoint.after("daemon.other");
  /** A call from a script whose name is no libvirt driver. */
  public static final HookPoint UNKNOWN_OTHER = HookPoint.after("unknown.other");

  /** Every point, for registering one hook everywhere (an events script). */
  public static final List<HookPoint> ALL = List.of(DOMAIN_PREPARE, DOMAIN_START, DOMAIN_STARTED,
      DOMAIN_STOPPED, DOMAIN_RELEASE, DOMAIN_MIGRATE, DOMAIN_RESTORE, DOMAIN_RECONNECT,
      DOMAIN_ATTACH, DOMAIN_OTHER, NETWORK_START, NETWORK_STARTED, NETWORK_STOPPED,
      NETWORK_PORT_CREATED, NETWORK_PORT_DELETED, NETWORK_UPDATED, NETWORK_OTHER, DAEMON_START,
      DAEMON_SHUTDOWN, DAEMON_RELOAD, DAEMON_OTHER, UNKNOWN_OTHER);

  /** Every operation name libvirt passes to hook scripts (the second argument), all drivers. */
  public static final List<String> OPERATIONS = List.of("prepare", "start", "started", "stopped",
      "release", "migrate", "restore", "reconnect", "attach", "port-created", "plugged",
      "port-deleted", "unplugged", "updated", "shutdown", "reload");

  /**
   * The operations of {@code driver} at which a relay client refuses when virthooks' own
   * machinery fails (a lost connection, no answer): the before and filter points
   * ({@code started} among them: a hook there vets a start as much as one at {@code prepare}) but
   * {@code reconnect}, where libvirt kills a running guest whose hook fails, and a relay that
   * restarts while libvirtd reconnects to every guest must not kill them all.
   */
  public static Set<String> failClosedOperations(HookDriver driver) {
    Set<String> ops = new TreeSet<>();
    for (String op : OPERATIONS) {
      known(driver, op).filter(p -> p.phase() != HookPhase.AFTER && p != DOMAIN_RECONNECT)
          .ifPresent(p -> ops.add(op));
    }
    return ops;
  }

  /** The point of {@code operation} for {@code driver}, empty when the operation is unknown. */
  public static Optional<HookPoint> known(HookDriver driver, String operation) {
    HookPoint p = switch (driver.object()) {
      case "domain" -> switch (operation) {
        case "prepare" -> DOMAIN_PREPARE;
        case "start" -> DOMAIN_START;
        case "started" -> DOMAIN_STARTED;
        case "stopped" -> DOMAIN_STOPPED;
        case "release" -> DOMAIN_RELEASE;
        case "migrate" -> DOMAIN_MIGRATE;
        case "restore" -> DOMAIN_RESTORE;
        case "reconnect" -> DOMAIN_RECONNECT;
        case "attach" -> DOMAIN_ATTACH;
        default -> null;
      };
      case "network" -> switch (operation) {
        case "start" -> NETWORK_START;
        case "started" -> NETWORK_STARTED;
        case "stopped" -> NETWORK_STOPPED;
        case "port-created", "plugged" -> NETWORK_PORT_CREATED;
        case "port-deleted", "unplugged" -> NETWORK_PORT_DELETED;
        case "updated" -> NETWORK_UPDATED;
        default -> null;
      };
      default -> switch (operation) {
        case "start" -> DAEMON_START;
        case "shutdown" -> DAEMON_SHUTDOWN;
        case "reload" -> DAEMON_RELOAD;
        default -> null;
      };
    };
    return Optional.ofNullable(p);
  }

  /** The point for {@code operation}, the driver's {@code other} point when it is unknown. */
  public static HookPoint of(HookDriver driver, String operation) {
    return known(driver, operation).orElseGet(() -> switch (driver.object()) {
      case "domain" -> DOMAIN_OTHER;
      case "network" -> NETWORK_OTHER;
      default -> DAEMON_OTHER;
    });
  }
}
