package org.virthooks.libvirt.domain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.virthooks.core.DomainRef;
import org.virthooks.libvirt.LibvirtUnavailableException;
import org.virthooks.libvirt.internal.NativeLibvirt;
import org.virthooks.libvirt.internal.QuietErrors;

/**
 * The guests of one libvirt connection: look one up (by name, id or UUID), define or create one
 * from XML, restore a saved one, list them (Sys::Virt::Domain's constructor and Sys::Virt's
 * domain calls). Opened on a URI (and then owning the connection) or wrapping an application's
 * libvirt-java {@link Connect} (which stays the application's to close). Closing it frees every
 * {@link LibvirtDomain} it handed out that is still open. Thread-safe. It starts no thread: the
 * calls need no event loop (for events use {@code LibvirtEventSource}).
 */
public final class LibvirtDomains implements AutoCloseable {
  private final Connect conn;
  private final ConnectionPointer cp;
  private final boolean owned;
  private final Set<LibvirtDomain> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private LibvirtDomains(Connect conn, boolean owned) {
    this.conn = conn;
    this.cp = Calls.pointer(conn);
    this.owned = owned;
  }

  /**
   * Opens a read-write connection to {@code uri}, such as {@code qemu:///system} or
   * {@code test:///default}. libvirt's default error handler (which prints every error to
   * stderr) is replaced once per JVM by one that logs at debug level, as {@code LibvirtEventLoop}
   * does.
   *
   * @throws LibvirtUnavailableException when libvirt.so.0 cannot be loaded (package libvirt0)
   * @throws LibvirtDomainException when libvirt refuses the connection
   */
  public static LibvirtDomains open(String uri) {
    return open(uri, false);
  }

  /** Opens a read-only connection: lookups, descriptions, state and statistics only. */
  public static LibvirtDomains openReadOnly(String uri) {
    return open(uri, true);
  }

  private static LibvirtDomains open(String uri, boolean readOnly) {
    NativeLibvirt.get(); // fails with the package name before libvirt-java's loader does
    QuietErrors.install();
    try {
      return new LibvirtDomains(new Connect(uri, readOnly), true);
    } catch (LibvirtException e) {
      throw LibvirtDomainException.of("virConnectOpen(" + uri + ")", e);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new LibvirtUnavailableException(e);
    }
  }

  /** The guests of an application's open connection, which {@link #close()} leaves open. */
  public static LibvirtDomains wrap(Connect conn) {
    NativeLibvirt.get();
    return new LibvirtDomains(conn, false);
  }

  /** The libvirt-java connection, for what this API does not cover. */
  public Connect connect() {
    return conn;
  }

  /** The guest of this name (Sys::Virt::Domain's {@code name}). */
  public LibvirtDomain byName(String name) {
    return handOut(Libvirt.INSTANCE.virDomainLookupByName(cp(), name),
        "virDomainLookupByName(" + name + ")");
  }

  /** The guest of this name, empty when there is none. */
  public Optional<LibvirtDomain> find(String name) {
    try {
      return Optional.of(byName(name));
    } catch (LibvirtDomainException e) {
      if (e.isNoDomain()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The running guest of this numeric id (Sys::Virt::Domain's {@code id}). */
  public LibvirtDomain byId(int id) {
    return handOut(Libvirt.INSTANCE.virDomainLookupByID(cp(), id),
        "virDomainLookupByID(" + id + ")");
  }

  /** The guest of this UUID. */
  public LibvirtDomain byUuid(UUID uuid) {
    return byUuid(bytes(uuid));
  }

  /**
   * The guest of this UUID given as its 16 raw bytes (Sys::Virt::Domain's {@code uuid} of 16).
   *
   * @throws IllegalArgumentException with the seed's message when it is not 16 bytes
   */
  public LibvirtDomain byUuid(byte[] uuid) {
    UUID u = DomainRef.uuidFromBytes(uuid); // the length check and its message
    return handOut(Libvirt.INSTANCE.virDomainLookupByUUID(cp(), uuid.clone()),
        "virDomainLookupByUUID(" + u + ")");
  }

  /**
   * The guest of this UUID given as 32 or 36 hex characters (Sys::Virt::Domain's {@code uuid} of
   * 32/36).
   *
   * @throws IllegalArgumentException with the seed's message for any other form
   */
  public LibvirtDomain byUuid(String uuid) {
    return byUuid(DomainRef.parseUuid(uuid));
  }

  /**
   * Defines a persistent guest from XML without starting it (Sys::Virt::Domain's {@code xml}
   * with {@code nocreate}); a definition of an existing name or UUID replaces it.
   */
  public LibvirtDomain define(String xml) {
    return define(xml, false);
  }

  /** Defines a guest, validating the XML against libvirt's schema first when asked. */
  public LibvirtDomain define(String xml, boolean validate) {
    return handOut(NativeLibvirt.get().virDomainDefineXMLFlags(cp(), xml, validate ? 1 : 0),
        "virDomainDefineXMLFlags"); // 1: VIR_DOMAIN_DEFINE_VALIDATE
  }

  /**
   * Creates and starts a transient guest from XML (Sys::Virt::Domain's {@code xml} without
   * {@code nocreate}).
   */
  public LibvirtDomain create(String xml, Set<StartFlag> flags) {
    return handOut(Libvirt.INSTANCE.virDomainCreateXML(cp(), xml, LibvirtFlag.mask(flags)),
        "virDomainCreateXML");
  }

  /** Starts a guest again from a file written by {@link LibvirtDomain#save(Path)}. */
  public void restore(Path file) {
    String f = file.toAbsolutePath().toString();
    Calls.check(Libvirt.INSTANCE.virDomainRestore(cp(), f), "virDomainRestore(" + f + ")");
  }

  /** Every guest, running or defined: name, id while running, UUID. */
  public List<DomainRef> list() {
    Domain[] all;
    try {
      all = conn.listAllDomains(0);
    } catch (LibvirtException e) {
      throw LibvirtDomainException.of("virConnectListAllDomains", e);
    }
    List<DomainRef> out = new ArrayList<>(all.length);
    RuntimeException failure = null;
    for (Domain d : all) {
      try {
        DomainRef r = DomainRef.of(d.getName()).withUuid(d.getUUIDString());
        int id = d.getID();
        out.add(id >= 0 ? r.withId(id) : r);
      } catch (LibvirtException e) {
        failure = failure != null ? failure : LibvirtDomainException.of("virDomainGetName", e);
      } finally {
        free(d);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }

  private static void free(Domain d) {
    try {
      d.free();
    } catch (LibvirtException e) {
      // virDomainFree fails only for an invalid pointer: nothing is left to free
    }
  }

  private ConnectionPointer cp() {
    if (closed) {
      throw new IllegalStateException("LibvirtDomains is closed");
    }
    return cp;
  }

  private LibvirtDomain handOut(DomainPointer p, String op) {
    LibvirtDomain d = new LibvirtDomain(this, Calls.notNull(p, op));
    open.add(d);
    if (closed) { // closed meanwhile: do not leave it behind
      d.close();
      throw new IllegalStateException("LibvirtDomains is closed");
    }
    return d;
  }

  void closed(LibvirtDomain d) {
    open.remove(d);
  }

  /** How many of the domains it handed out are still open. */
  public int openDomains() {
    return open.size();
  }

  /**
   * Frees every domain still open and, when it opened the connection, closes it. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LibvirtDomain d : List.copyOf(open)) {
      d.close();
    }
    if (owned) {
      try {
        conn.close();
      } catch (LibvirtException e) {
        throw LibvirtDomainException.of("virConnectClose", e);
      }
    }
  }

  private static byte[] bytes(UUID u) {
    return java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array();
  }
}
