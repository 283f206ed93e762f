package org.virthooks.libvirt.internal;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.NetworkPointer;

/**
 * The C signatures of libvirt's domain, network, storage pool, node device and secret event
 * callbacks (libvirt-domain.h, libvirt-network.h, libvirt-storage.h, libvirt-nodedev.h,
 * libvirt-secret.h), as JNA callback interfaces. libvirt-java wraps only a few; its
 * {@code virConnectDomainEventRegisterAny} takes any {@link Libvirt.VirDomainEventCallback}, so
 * these plug into it. Implementations must stay strongly referenced while registered: JNA frees
 * the native trampoline of a collected callback and libvirt would jump into freed memory.
 *
 * <p>The callbacks declare the connection and the domain as plain {@link Pointer}s, not
 * libvirt-java's {@code ConnectionPointer} / {@code DomainPointer}: the C ABI is the same, but
 * JNA builds a {@code PointerType} argument by reflection ({@code Klass.newInstance}) on every
 * call, which was a third of the event loop thread's time in an event storm.
 */
public final class Callbacks {
  private Callbacks() {}

  /** LIFECYCLE: {@code int cb(conn, dom, int event, int detail, void *opaque)}. */
  public interface Lifecycle extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    int invoke(Pointer c, Pointer d, int event, int detail, Pointer opaque);
  }

  /** REBOOT, CONTROL_ERROR: {@code void cb(conn, dom, void *opaque)}. */
  public interface Generic extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, Pointer opaque);
  }

  /** WATCHDOG, PMWAKEUP, PMSUSPEND, PMSUSPEND_DISK, MIGRATION_ITERATION: one int. */
  public interface OneInt extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, int value, Pointer opaque);
  }

  /** RTC_CHANGE, BALLOON_CHANGE: one (unsigned) long long. */
  public interface OneLong extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, long value, Pointer opaque);
  }

  /** DEVICE_REMOVED, DEVICE_ADDED, DEVICE_REMOVAL_FAILED: a device alias. */
  public interface OneString extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String value, Pointer opaque);
  }

  /** IO_ERROR: source path, device alias, action. */
  public interface IoError extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String srcPath, String devAlias, int action,
        Pointer opaque);
  }

  /** IO_ERROR_REASON: source path, device alias, action, reason. */
  public interface IoErrorReason extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String srcPath, String devAlias, int action,
        String reason, Pointer opaque);
  }

  /** GRAPHICS: phase, local and remote address structs, auth scheme, subject struct. */
  public interface Graphics extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, int phase, Pointer local, Pointer remote,
        String authScheme, Pointer subject, Pointer opaque);
  }

  /** BLOCK_JOB, BLOCK_JOB_2: disk, type, status. */
  public interface BlockJob extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String disk, int type, int status,
        Pointer opaque);
  }

  /** DISK_CHANGE: old source, new source, alias, reason. */
  public interface DiskChange extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String oldSrc, String newSrc, String alias,
        int reason, Pointer opaque);
  }

  /** TRAY_CHANGE: alias, reason. */
  public interface StringInt extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String alias, int reason, Pointer opaque);
  }

  /** TUNABLE, JOB_COMPLETED: a virTypedParameter array. */
  public interface TypedParams extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, Pointer params, int nparams, Pointer opaque);
  }

  /** AGENT_LIFECYCLE: state, reason. */
  public interface TwoInts extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, int a, int b, Pointer opaque);
  }

  /** METADATA_CHANGE: type, namespace URI. */
  public interface IntString extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, int type, String nsuri, Pointer opaque);
  }

  /** BLOCK_THRESHOLD: dev, path, threshold, excess. */
  public interface BlockThreshold extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String dev, String path, long threshold,
        long excess, Pointer opaque);
  }

  /** MEMORY_FAILURE: recipient, action, flags. */
  public interface ThreeInts extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, int a, int b, int flags, Pointer opaque);
  }

  /** MEMORY_DEVICE_SIZE_CHANGE: alias, size. */
  public interface StringLong extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String alias, long size, Pointer opaque);
  }

  /** NIC_MAC_CHANGE: alias, old MAC, new MAC. */
  public interface ThreeStrings extends Libvirt.VirDomainEventCallback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer d, String a, String b, String e,
        Pointer opaque);
  }

  /** Network METADATA_CHANGE: {@code void cb(conn, net, int type, const char *nsuri, void *opaque)}. */
  public interface NetworkMetadataChange extends Callback {
    /** Called by libvirt. */
    void invoke(Pointer c, NetworkPointer n, int type, String nsuri, Pointer opaque);
  }

  /**
   * Storage pool, node device and secret LIFECYCLE (libvirt-storage.h, libvirt-nodedev.h,
   * libvirt-secret.h): {@code void cb(conn, obj, int event, int detail, void *opaque)}.
   */
  public interface ObjectLifecycle extends Callback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer obj, int event, int detail, Pointer opaque);
  }

  /**
   * Storage pool REFRESH, node device UPDATE, secret VALUE_CHANGED: the generic callback,
   * {@code void cb(conn, obj, void *opaque)}.
   */
  public interface ObjectGeneric extends Callback {
    /** Called by libvirt. */
    void invoke(Pointer c, Pointer obj, Pointer opaque);
  }

  /** Network LIFECYCLE: {@code void cb(conn, net, int event, int detail, void *opaque)}. */
  public interface NetworkLifecycle extends Callback {
    /** Called by libvirt. */
    void invoke(Pointer c, NetworkPointer n, int event, int detail, Pointer opaque);
  }
}
