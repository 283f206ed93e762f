package org.virthooks.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.JsonNames;

/**
 * What a {@link DomainEvent} of one of the kinds that carry data says beyond its kind: the typed
 * form of the callback arguments of libvirt's agent-lifecycle, block-threshold, disk-change,
 * tray-change, graphics, RTC-change, metadata-change, memory-failure and NIC-MAC-change events.
 * Each record names the one kind it belongs to ({@link #kind()}); its components are the fields
 * of the event's JSON {@code payload} object, under the same names. Enum values a newer source
 * sends and this version does not know are {@code OTHER}, the raw number staying in the event's
 * attributes.
 */
public sealed interface DomainPayload
    permits DomainPayload.AgentLifecycle, DomainPayload.BlockThreshold, DomainPayload.DiskChange,
        DomainPayload.TrayChange, DomainPayload.Graphics, DomainPayload.RtcChange,
        DomainPayload.MetadataChange, DomainPayload.MemoryFailure, DomainPayload.NicMacChange {

  /** The domain event kind this payload belongs to. */
  DomainEvent.Kind kind();

  /**
   * The guest agent connected or disconnected.
   *
   * @param state connected or disconnected
   * @param reason why the state changed
   */
  record AgentLifecycle(AgentState state, AgentReason reason) implements DomainPayload {
    /** Validates the fields. */
    public AgentLifecycle {
      Checks.notNull("state", state);
      Checks.notNull("reason", reason);
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.AGENT_LIFECYCLE;
    }
  }

  /**
   * A write went past the threshold set on a disk or on an element of its backing chain.
   *
   * @param device the disk or chain element ({@code vda}, {@code vda[1]})
   * @param path the element's path, for local storage
   * @param threshold the threshold, in bytes (unsigned)
   * @param excess bytes written beyond it (unsigned)
   */
  record BlockThreshold(String device, Optional<String> path, long threshold, long excess)
      implements DomainPayload {
    /** Validates the fields. */
    public BlockThreshold {
      Checks.notNull("device", device);
      path = path == null ? Optional.empty() : path;
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.BLOCK_THRESHOLD;
    }
  }

  /**
   * A disk's medium changed by itself: its source was missing at start.
   *
   * @param oldSource the source before
   * @param newSource the source after (absent when the medium was emptied or the disk dropped)
   * @param alias the device's alias
   * @param reason why
   */
  record DiskChange(Optional<String> oldSource, Optional<String> newSource,
      Optional<String> alias, DiskChangeReason reason) implements DomainPayload {
    /** Validates the fields. */
    public DiskChange {
      oldSource = oldSource == null ? Optional.empty() : oldSource;
      newSource = newSource == null ? Optional.empty() : newSource;
      alias = alias == null ? Optional.empty() : alias;
      Checks.notNull("reason", reason);
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.DISK_CHANGE;
    }
  }

  /**
   * The tray of a removable-media device opened or closed.
   *
   * @param alias the device's alias
   * @param reason open or close
   */
  record TrayChange(Optional<String> alias, TrayReason reason) implements DomainPayload {
    /** Validates the fields. */
    public TrayChange {
      alias = alias == null ? Optional.empty() : alias;
      Checks.notNull("reason", reason);
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.TRAY_CHANGE;
    }
  }

  /**
   * A graphics (VNC, SPICE) client connected, finished authenticating, or disconnected.
   *
   * @param phase connect, initialize or disconnect
   * @param local the server's address
   * @param remote the client's address
   * @param authScheme the authentication scheme ({@code none}, {@code vnc}, {@code sasl}...)
   * @param subject the authenticated identities, in the order the source gave them
   */
  record Graphics(GraphicsPhase phase, Optional<Address> local, Optional<Address> remote,
      Optional<String> authScheme, List<Identity> subject) implements DomainPayload {
    /** Validates the fields and freezes the subject. */
    public Graphics {
      Checks.notNull("phase", phase);
      local = local == null ? Optional.empty() : local;
      remote = remote == null ? Optional.empty() : remote;
      authScheme = authScheme == null ? Optional.empty() : authScheme;
      subject = subject == null ? List.of() : List.copyOf(subject);
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.GRAPHICS;
    }

    /**
     * One end of a graphics connection.
     *
     * @param family IPv4, IPv6 or a Unix socket
     * @param node the address or socket path
     * @param service the port, when there is one
     */
    public record Address(AddressFamily family, Optional<String> node, Optional<String> service) {
      /** Validates the fields. */
      public Address {
        Checks.notNull("family", family);
        node = node == null ? Optional.empty() : node;
        service = service == null ? Optional.empty() : service;
      }
    }

    /**
     * One identity of an authenticated subject.
     *
     * @param type the kind of identity ({@code x509dname}, {@code saslUsername})
     * @param name its value
     */
    public record Identity(String type, String name) {
      /** Validates the fields. */
      public Identity {
        Checks.notNull("type", type);
        Checks.notNull("name", name);
      }
    }
  }

  /**
   * The guest changed its real-time clock.
   *
   * @param utcOffset the new offset of the RTC from UTC, in seconds
   */
  record RtcChange(long utcOffset) implements DomainPayload {
    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.RTC_CHANGE;
    }
  }

  /**
   * The domain's description, title or a metadata element changed.
   *
   * @param type which of the three
   * @param namespaceUri the namespace of the metadata element, for {@code element}
   */
  record MetadataChange(MetadataType type, Optional<String> namespaceUri) implements DomainPayload {
    /** Validates the fields. */
    public MetadataChange {
      Checks.notNull("type", type);
      namespaceUri = namespaceUri == null ? Optional.empty() : namespaceUri;
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.METADATA_CHANGE;
    }
  }

  /**
   * A hardware memory error reached the hypervisor or the guest.
   *
   * @param recipient who received it
   * @param action what was done about it
   * @param flags the error's flags
   */
  record MemoryFailure(MemoryFailureRecipient recipient, MemoryFailureAction action,
      Set<MemoryFailureFlag> flags) implements DomainPayload {
    /** Validates the fields and freezes the flags. */
    public MemoryFailure {
      Checks.notNull("recipient", recipient);
      Checks.notNull("action", action);
      flags = flags == null ? Set.of() : Set.copyOf(flags);
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.MEMORY_FAILURE;
    }
  }

  /**
   * The guest changed the MAC address of a network interface.
   *
   * @param alias the interface's alias
   * @param oldMac the address before
   * @param newMac the address after
   */
  record NicMacChange(Optional<String> alias, Optional<String> oldMac, Optional<String> newMac)
      implements DomainPayload {
    /** Validates the fields. */
    public NicMacChange {
      alias = alias == null ? Optional.empty() : alias;
      oldMac = oldMac == null ? Optional.empty() : oldMac;
      newMac = newMac == null ? Optional.empty() : newMac;
    }

    @Override
    public DomainEvent.Kind kind() {
      return DomainEvent.Kind.NIC_MAC_CHANGE;
    }
  }

  /** The guest agent's state. */
  enum AgentState {
    /** The agent connected. */
    CONNECTED,
    /** The agent disconnected. */
    DISCONNECTED,
    /** A state this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Why the guest agent's state changed. */
  enum AgentReason {
    /** The source does not know. */
    UNKNOWN,
    /** The domain started. */
    DOMAIN_STARTED,
    /** The agent's channel changed state. */
    CHANNEL,
    /** A reason this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Why a disk's medium changed. */
  enum DiskChangeReason {
    /** The source was missing at start: the medium was emptied (startup policy). */
    MISSING_ON_START,
    /** The source was missing at start: the disk was dropped from the domain. */
    DROP_MISSING_ON_START,
    /** A reason this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Whether a tray opened or closed. */
  enum TrayReason {
    /** The tray opened. */
    OPEN,
    /** The tray closed. */
    CLOSE,
    /** A reason this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** The phase of a graphics connection. */
  enum GraphicsPhase {
    /** The client's socket connected. */
    CONNECT,
    /** Authentication and setup completed. */
    INITIALIZE,
    /** The client disconnected. */
    DISCONNECT,
    /** A phase this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** The family of a graphics connection's address. */
  enum AddressFamily {
    /** IPv4. */
    IPV4,
    /** IPv6. */
    IPV6,
    /** A Unix socket path. */
    UNIX,
    /** A family this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** What changed in a domain's metadata. */
  enum MetadataType {
    /** The description. */
    DESCRIPTION,
    /** The title. */
    TITLE,
    /** A metadata element, in a namespace. */
    ELEMENT,
    /** A type this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** Who received a memory failure. */
  enum MemoryFailureRecipient {
    /** The hypervisor. */
    HYPERVISOR,
    /** The guest. */
    GUEST,
    /** A recipient this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** What was done about a memory failure. */
  enum MemoryFailureAction {
    /** Ignored: the memory was not in use. */
    IGNORE,
    /** Injected into the guest, which may recover. */
    INJECT,
    /** Fatal: the recipient cannot go on. */
    FATAL,
    /** The recipient was reset. */
    RESET,
    /** An action this version does not know. */
    OTHER;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }

  /** A flag of a memory failure. */
  enum MemoryFailureFlag {
    /** The failure was reported synchronously, by an access to the memory. */
    ACTION_REQUIRED,
    /** A memory failure happened while handling another one. */
    RECURSIVE;

    /** The lower-case, {@code -} separated name used in JSON. */
    public String jsonName() {
      return JsonNames.of(this);
    }
  }
}
