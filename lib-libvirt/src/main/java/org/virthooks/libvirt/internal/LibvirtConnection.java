package org.virthooks.libvirt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.libvirt.DomainEventId;
import org.virthooks.libvirt.HostEventId;

/**
 * One libvirt connection of an event source with every callback registered on it: opened with
 * its keepalive, the domain and host event IDs the daemon accepts, and the close callback;
 * {@link #close()} deregisters them all before it closes the connection, since a callback must
 * never fire on a closed connection. An ID the daemon refuses is skipped and logged once per
 * source ({@code logged} is the source's, shared by its connections).
 */
public final class LibvirtConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

  /**
   * What a source asks of each connection.
   *
   * @param uri the libvirt URI
   * @param readOnly a read-only connection (events need no more)
   * @param keepAliveInterval seconds between keepalive probes, 0 for none
   * @param keepAliveCount probes missed before the connection is closed
   * @param ids the domain event IDs to register
   * @param hostIds the host event IDs to register
   */
  public record Settings(String uri, boolean readOnly, int keepAliveInterval, int keepAliveCount,
      Set<DomainEventId> ids, Set<HostEventId> hostIds) {}

  private final String uri;
  private final SourceConnect conn;
  private final ConnectionPointer cp;
  private final Map<DomainEventId, Integer> registered = new ConcurrentHashMap<>();
  private final Set<DomainEventId> refused = ConcurrentHashMap.newKeySet();
  private final Map<HostEventId, Integer> hostRegistered = new ConcurrentHashMap<>();
  private final Set<HostEventId> hostRefused = ConcurrentHashMap.newKeySet();
  // strong references: libvirt holds only the native trampolines of these
  private final List<Object> callbacks = new ArrayList<>();
  private Libvirt.VirConnectCloseFunc closeFunc;
  private boolean closed;

  private LibvirtConnection(String uri, SourceConnect conn) {
    this.uri = uri;
    this.conn = conn;
    this.cp = conn.pointer();
  }

  /**
   * Opens a connection and registers everything {@code settings} asks for, the callbacks made by
   * {@code table} firing only while {@code current} holds; {@code onClose} gets libvirt's reason
   * when the daemon closes the connection.
   *
   * @throws LibvirtException when the connection cannot be opened
   */
  public static LibvirtConnection open(Settings settings, CallbackTable table,
      BooleanSupplier current, IntConsumer onClose, Set<Object> logged) throws LibvirtException {
    LibvirtConnection c = new LibvirtConnection(settings.uri(),
        new SourceConnect(settings.uri(), settings.readOnly()));
    try {
      if (settings.keepAliveInterval() > 0) {
        try {
          c.conn.setKeepAlive(settings.keepAliveInterval(), settings.keepAliveCount());
        } catch (LibvirtException e) {
          LOG.debug("{}: no keepalive ({})", c.uri, e.getMessage()); // local drivers have none
        }
      }
      for (DomainEventId id : settings.ids()) {
        c.registerDomain(table, id, current, logged);
      }
      for (HostEventId id : settings.hostIds()) {
        c.registerHost(table, id, current, logged);
      }
      c.registerClose(onClose);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The libvirt-java connection. */
  public Connect connect() {
    return conn;
  }

  /** Its native pointer, for the calls libvirt-java does not wrap. */
  public ConnectionPointer pointer() {
    return cp;
  }

  /** The domain event IDs registered. */
  public Set<DomainEventId> registeredIds() {
    return Set.copyOf(registered.keySet());
  }

  /** The domain event IDs the daemon refused. */
  public Set<DomainEventId> refusedIds() {
    return Set.copyOf(refused);
  }

  /** The host event IDs registered. */
  public Set<HostEventId> registeredHostIds() {
    return Set.copyOf(hostRegistered.keySet());
  }

  /** The host event IDs the daemon refused. */
  public Set<HostEventId> refusedHostIds() {
    return Set.copyOf(hostRefused);
  }

  private void registerDomain(CallbackTable table, DomainEventId id, BooleanSupplier current,
      Set<Object> logged) {
    Libvirt.VirDomainEventCallback cb = table.domain(id, current);
    int handle = Libvirt.INSTANCE.virConnectDomainEventRegisterAny(cp, null, id.code(), cb, null,
        null);
    if (handle < 0) {
      String why = lastError();
      refused.add(id);
      if (logged.add(id)) {
        LOG.info("{}: libvirt refused domain event {} ({}): {}; going on without it", uri, id,
            id.code(), why);
      }
      return;
    }
    callbacks.add(cb);
    registered.put(id, handle);
  }

  private void registerHost(CallbackTable table, HostEventId id, BooleanSupplier current,
      Set<Object> logged) {
    com.sun.jna.Callback cb = table.host(id, current);
    int handle = CallbackTable.register(cp, id, cb);
    if (handle < 0) {
      String why = lastError();
      hostRefused.add(id);
      if (logged.add(id)) {
        LOG.info("{}: libvirt refused {} events ({}): {}; going on without them", uri, id,
            id.code(), why);
      }
      return;
    }
    callbacks.add(cb);
    hostRegistered.put(id, handle);
  }

  private void registerClose(IntConsumer onClose) {
    Libvirt.VirConnectCloseFunc f = (c, reason, opaque) -> onClose.accept(reason);
    if (Libvirt.INSTANCE.virConnectRegisterCloseCallback(cp, f, null, null) < 0) {
      // local drivers (test://) never close by themselves and do not support it
      LOG.debug("{}: no close callback: {}", uri, lastError());
      return;
    }
    closeFunc = f;
  }

  private static String lastError() {
    virError e = Libvirt.INSTANCE.virGetLastError();
    String m = e == null || e.message == null ? "unknown error" : e.message;
    Libvirt.INSTANCE.virResetLastError();
    return m;
  }

  /**
   * Deregisters every callback (errors on a dead connection ignored), then closes the
   * connection; idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int handle : registered.values()) {
      if (Libvirt.INSTANCE.virConnectDomainEventDeregisterAny(cp, handle) < 0) {
        LOG.debug("{}: deregistering domain callback {}: {}", uri, handle, lastError());
      }
    }
    for (Map.Entry<HostEventId, Integer> h : hostRegistered.entrySet()) {
      if (CallbackTable.deregister(cp, h.getKey(), h.getValue()) < 0) {
        LOG.debug("{}: deregistering {} callback: {}", uri, h.getKey(), lastError());
      }
    }
    if (closeFunc != null && Libvirt.INSTANCE.virConnectUnregisterCloseCallback(cp, closeFunc) < 0) {
      LOG.debug("{}: unregistering close callback: {}", uri, lastError());
    }
    try {
      conn.close();
    } catch (LibvirtException e) {
      LOG.debug("{}: closing: {}", uri, e.getMessage());
    }
  }

  /** A libvirt-java connection whose native pointer we may use for the calls it does not wrap. */
  private static final class SourceConnect extends Connect {
    SourceConnect(String uri, boolean readOnly) throws LibvirtException {
      super(uri, readOnly);
    }

    ConnectionPointer pointer() {
      return vcp;
    }
  }
}
