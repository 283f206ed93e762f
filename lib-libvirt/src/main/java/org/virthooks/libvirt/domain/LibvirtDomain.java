package org.virthooks.libvirt.domain;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.libvirt.jna.CString;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.SizeT;
import org.libvirt.jna.virDomainBlockInfo;
import org.libvirt.jna.virDomainBlockStats;
import org.libvirt.jna.virDomainInfo;
import org.libvirt.jna.virDomainInterfaceStats;
import org.libvirt.jna.virDomainMemoryStats;
import org.virthooks.core.DomainInfo;
import org.virthooks.core.DomainRef;
import org.virthooks.core.DomainState;
import org.virthooks.core.DomainStatus;
import org.virthooks.libvirt.internal.NativeLibvirt;
import org.virthooks.libvirt.internal.TypedParams;

/**
 * One guest of a libvirt connection, with the operations of Sys::Virt::Domain: identity and
 * description, state, control, resources and statistics. Obtained from {@link LibvirtDomains};
 * holds a native handle until {@link #close()} (or the close of its {@code LibvirtDomains}).
 * Thread-safe; a call after close fails with {@link IllegalStateException}, and close waits for
 * calls under way. Every libvirt failure is a {@link LibvirtDomainException}.
 *
 * <p>The state types are lib-core's, the same as the events': {@link #info()} is a
 * {@link DomainInfo}, {@link #state()} a {@link DomainStatus}, {@link #ref()} a {@link DomainRef}.
 * Sizes are in KiB where libvirt's are.
 */
public final class LibvirtDomain implements AutoCloseable {
  private static final int MEMORY_STAT_NR = 13; // VIR_DOMAIN_MEMORY_STAT_NR in libvirt 9.0
  private static final int MEM_MAXIMUM = 1 << 2; // VIR_DOMAIN_MEM_MAXIMUM
  private static final int DEVICE_MODIFY_FORCE = 1 << 2; // VIR_DOMAIN_DEVICE_MODIFY_FORCE
  private static final int BLOCK_RESIZE_BYTES = 1 << 0; // VIR_DOMAIN_BLOCK_RESIZE_BYTES
  private static final int SEND_KEY_MAX_KEYS = 16; // VIR_DOMAIN_SEND_KEY_MAX_KEYS

  private final LibvirtDomains owner;
  private final String label;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private DomainPointer pointer; // guarded by lock

  LibvirtDomain(LibvirtDomains owner, DomainPointer pointer) {
    this.owner = owner;
    this.pointer = pointer;
    String n = Libvirt.INSTANCE.virDomainGetName(pointer);
    this.label = n == null ? "?" : n;
  }

  /** A native call on the domain's pointer. */
  private interface Call<T> {
    T on(DomainPointer p);
  }

  private <T> T call(Call<T> c) {
    lock.readLock().lock();
    try {
      if (pointer == null) {
        throw new IllegalStateException("domain " + label + " is closed");
      }
      return c.on(pointer);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void run(String fn, Call<Integer> c) {
    call(p -> Calls.check(c.on(p), op(fn)));
  }

  private String op(String fn) {
    return fn + "(" + label + ")";
  }

  private static NativeLibvirt nat() {
    return NativeLibvirt.get();
  }

  private static Libvirt lv() {
    return Libvirt.INSTANCE;
  }

  // ------------------------------------------------------------------ identity and description

  /** The numeric id while the guest runs, empty when it is inactive (get_id). */
  public OptionalInt id() {
    int id = call(lv()::virDomainGetID);
    return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The 16 raw bytes of the UUID (get_uuid). */
  public byte[] uuidBytes() {
    byte[] b = new byte[16];
    run("virDomainGetUUID", p -> lv().virDomainGetUUID(p, b));
    return b;
  }

  /** The UUID. */
  public UUID uuid() {
    return DomainRef.uuidFromBytes(uuidBytes());
  }

  /** The UUID as {@code XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, lower case (get_uuid_string). */
  public String uuidString() {
    return uuid().toString();
  }

  /** The name (get_name). */
  public String name() {
    return call(p -> Calls.notNull(lv().virDomainGetName(p), op("virDomainGetName")));
  }

  /** Name, id (while running) and UUID, as events name a domain. */
  public DomainRef ref() {
    DomainRef r = DomainRef.of(name()).withUuid(uuid());
    OptionalInt id = id();
    return id.isPresent() ? r.withId(id.getAsInt()) : r;
  }

  /** The guest's hostname, as the hypervisor or its agent knows it (get_hostname). */
  public String hostname() {
    return string("virDomainGetHostname", p -> nat().virDomainGetHostname(p, 0));
  }

  /** The OS type, such as {@code hvm} (get_os_type). */
  public String osType() {
    return string("virDomainGetOSType", lv()::virDomainGetOSType);
  }

  /** The live XML description (get_xml_description). */
  public String xml() {
    return xml(Set.of());
  }

  /** The XML description, dumped as the flags say (get_xml_description). */
  public String xml(Set<XmlFlag> flags) {
    int f = LibvirtFlag.mask(flags);
    return string("virDomainGetXMLDesc", p -> lv().virDomainGetXMLDesc(p, f));
  }

  /**
   * A metadata element (get_metadata): the title, the description, or with
   * {@link MetadataType#ELEMENT} the {@code <metadata>} child of namespace {@code uri}; empty
   * when the guest has none.
   */
  public Optional<String> metadata(MetadataType type, String uri, Set<ModificationImpact> impact) {
    checkUri(type, uri);
    int f = LibvirtFlag.mask(impact);
    try {
      return Optional.of(string("virDomainGetMetadata",
          p -> lv().virDomainGetMetadata(p, type.value(), uri, f)));
    } catch (LibvirtDomainException e) {
      if (e.code() == LibvirtDomainException.NO_DOMAIN_METADATA) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Sets a metadata element (set_metadata); a null value removes it. For
   * {@link MetadataType#ELEMENT}, {@code key} is the namespace prefix and {@code uri} the
   * namespace; for the others both are null.
   */
  public void setMetadata(MetadataType type, String value, String key, String uri,
      Set<ModificationImpact> impact) {
    checkUri(type, uri);
    if ((type == MetadataType.ELEMENT) != (key != null)) {
      throw new IllegalArgumentException(type == MetadataType.ELEMENT
          ? "an ELEMENT needs a namespace prefix (key)" : type + " takes no key");
    }
    int f = LibvirtFlag.mask(impact);
    run("virDomainSetMetadata", p -> lv().virDomainSetMetadata(p, type.value(), value, key, uri,
        f));
  }

  private static void checkUri(MetadataType type, String uri) {
    if ((type == MetadataType.ELEMENT) != (uri != null)) {
      throw new IllegalArgumentException(type == MetadataType.ELEMENT
          ? "an ELEMENT needs its namespace URI" : type + " takes no URI");
    }
  }

  /** True while the guest runs (is_active). */
  public boolean isActive() {
    return call(p -> Calls.bool(lv().virDomainIsActive(p), op("virDomainIsActive")));
  }

  /** True when the guest has a persistent definition (is_persistent). */
  public boolean isPersistent() {
    return call(p -> Calls.bool(lv().virDomainIsPersistent(p), op("virDomainIsPersistent")));
  }

  /** True when the guest runs with a persistent definition newer than its live one (is_updated). */
  public boolean isUpdated() {
    return call(p -> Calls.bool(lv().virDomainIsUpdated(p), op("virDomainIsUpdated")));
  }

  /** True when the guest starts with the host (get_autostart). */
  public boolean autostart() {
    IntByReference v = new IntByReference();
    run("virDomainGetAutostart", p -> lv().virDomainGetAutostart(p, v));
    return v.getValue() != 0;
  }

  /** Whether the guest starts with the host (set_autostart). */
  public void setAutostart(boolean on) {
    run("virDomainSetAutostart", p -> lv().virDomainSetAutostart(p, on ? 1 : 0));
  }

  /** The most vCPUs the guest may have (get_max_vcpus). */
  public int maxVcpus() {
    return call(p -> Calls.check(lv().virDomainGetMaxVcpus(p), op("virDomainGetMaxVcpus")));
  }

  /** The security label of the guest's process (get_security_label). */
  public SecurityLabel securityLabel() {
    Libvirt.SecurityLabel s = new Libvirt.SecurityLabel();
    run("virDomainGetSecurityLabel", p -> lv().virDomainGetSecurityLabel(p, s));
    int len = 0;
    while (len < s.label.length && s.label[len] != 0) {
      len++;
    }
    return new SecurityLabel(new String(s.label, 0, len, java.nio.charset.StandardCharsets.UTF_8),
        s.enforcing == 1);
  }

  // ------------------------------------------------------------------ state

  /** Memory, CPU time, vCPUs and state (get_info). */
  public DomainInfo info() {
    virDomainInfo i = new virDomainInfo();
    run("virDomainGetInfo", p -> lv().virDomainGetInfo(p, i));
    return new DomainInfo(i.maxMem.longValue(), i.memory.longValue(), i.cpuTime,
        Short.toUnsignedInt(i.nrVirtCpu), DomainState.fromCode(Byte.toUnsignedInt(i.state)));
  }

  /** The state and the reason for it (get_state). */
  public DomainStatus state() {
    IntByReference st = new IntByReference();
    IntByReference rs = new IntByReference();
    run("virDomainGetState", p -> nat().virDomainGetState(p, st, rs, 0));
    return DomainStatus.fromCodes(st.getValue(), rs.getValue());
  }

  /** The state of the guest's control channel (get_control_info). */
  public ControlInfo controlInfo() {
    Memory m = new Memory(16);
    m.clear();
    run("virDomainGetControlInfo", p -> nat().virDomainGetControlInfo(p, m, 0));
    int state = m.getInt(0);
    return new ControlInfo(ControlState.fromCode(state), state, m.getInt(4),
        Duration.ofMillis(m.getLong(8)));
  }

  /** The errors the guest's disks have had (get_disk_errors). */
  public List<DiskError> diskErrors() {
    return call(p -> {
      String fn = op("virDomainGetDiskErrors");
      int n = Calls.check(nat().virDomainGetDiskErrors(p, null, 0, 0), fn);
      List<DiskError> out = new ArrayList<>();
      if (n == 0) {
        return out;
      }
      Memory m = new Memory(16L * n); // struct { char *disk; int error; } on LP64
      m.clear();
      int got = Calls.check(nat().virDomainGetDiskErrors(p, m, n, 0), fn);
      for (int i = 0; i < got; i++) {
        Pointer disk = m.getPointer(16L * i);
        int code = m.getInt(16L * i + 8);
        out.add(new DiskError(new CString(disk).toString(), DiskErrorCode.fromCode(code), code));
      }
      return out;
    });
  }

  /** Sizes of the host storage behind a guest disk, named by target or path (get_block_info). */
  public BlockInfo blockInfo(String disk) {
    virDomainBlockInfo i = new virDomainBlockInfo();
    run("virDomainGetBlockInfo", p -> lv().virDomainGetBlockInfo(p, disk, i, 0));
    return new BlockInfo(i.capacity, i.allocation, i.physical);
  }

  // ------------------------------------------------------------------ control

  /** Starts the defined guest (create). */
  public void start() {
    start(Set.of());
  }

  /** Starts the defined guest as the flags say (create). */
  public void start(Set<StartFlag> flags) {
    int f = LibvirtFlag.mask(flags);
    run("virDomainCreateWithFlags", p -> lv().virDomainCreateWithFlags(p, f));
  }

  /** Powers the guest off at once (destroy). */
  public void destroy() {
    destroy(Set.of());
  }

  /** Powers the guest off at once, as the flags say (destroy). */
  public void destroy(Set<DestroyFlag> flags) {
    int f = LibvirtFlag.mask(flags);
    run("virDomainDestroyFlags", p -> nat().virDomainDestroyFlags(p, f));
  }

  /** Asks the guest OS to shut down, the hypervisor choosing how (shutdown). */
  public void shutdown() {
    shutdown(Set.of());
  }

  /** Asks the guest OS to shut down in one of these ways (shutdown). */
  public void shutdown(Set<ShutdownMode> modes) {
    int f = LibvirtFlag.mask(modes);
    run("virDomainShutdownFlags", p -> nat().virDomainShutdownFlags(p, f));
  }

  /** Asks the guest OS to reboot in one of these ways; empty: the hypervisor chooses (reboot). */
  public void reboot(Set<ShutdownMode> modes) {
    int f = LibvirtFlag.mask(modes);
    run("virDomainReboot", p -> lv().virDomainReboot(p, f));
  }

  /** Resets the virtual hardware, without the guest OS (reset). */
  public void reset() {
    run("virDomainReset", p -> lv().virDomainReset(p, 0));
  }

  /** Pauses the guest (suspend). */
  public void suspend() {
    run("virDomainSuspend", lv()::virDomainSuspend);
  }

  /** Resumes a paused guest (resume). */
  public void resume() {
    run("virDomainResume", lv()::virDomainResume);
  }

  /** Saves the running guest's state to a file and stops it (save); see {@link LibvirtDomains#restore}. */
  public void save(Path file) {
    String f = file.toAbsolutePath().toString();
    run("virDomainSave", p -> lv().virDomainSave(p, f));
  }

  /** Saves the guest's state where libvirt manages it; the next start restores it (managed_save). */
  public void managedSave() {
    run("virDomainManagedSave", p -> lv().virDomainManagedSave(p, 0));
  }

  /** True when the next start restores a managed save image (has_managed_save_image). */
  public boolean hasManagedSaveImage() {
    return call(p -> Calls.bool(lv().virDomainHasManagedSaveImage(p, 0),
        op("virDomainHasManagedSaveImage")));
  }

  /** Removes the managed save image: the next start boots (managed_save_remove). */
  public void removeManagedSave() {
    run("virDomainManagedSaveRemove", p -> lv().virDomainManagedSaveRemove(p, 0));
  }

  /** Dumps the guest's core to a file on the host (core_dump). */
  public void coreDump(Path file, Set<DumpFlag> flags) {
    String to = file.toAbsolutePath().toString();
    int f = LibvirtFlag.mask(flags);
    run("virDomainCoreDump", p -> lv().virDomainCoreDump(p, to, f));
  }

  /** Removes the guest's persistent definition (undefine). */
  public void undefine() {
    undefine(Set.of());
  }

  /** Removes the guest's persistent definition and what the flags name (undefine). */
  public void undefine(Set<UndefineFlag> flags) {
    int f = LibvirtFlag.mask(flags);
    run("virDomainUndefineFlags", p -> lv().virDomainUndefineFlags(p, f));
  }

  /**
   * Tells the guest OS to enter a sleep state, waking after {@code duration} (zero: not by
   * itself; whole seconds) (pm_suspend_for_duration). Needs the guest agent.
   */
  public void pmSuspend(PmSuspendTarget target, Duration duration) {
    long s = duration.getSeconds();
    if (s < 0) {
      throw new IllegalArgumentException("negative duration: " + duration);
    }
    run("virDomainPMSuspendForDuration",
        p -> lv().virDomainPMSuspendForDuration(p, target.value(), s, 0));
  }

  /** Wakes the guest from a power-management sleep (pm_wakeup). */
  public void pmWakeup() {
    run("virDomainPMWakeup", p -> lv().virDomainPMWakeup(p, 0));
  }

  /**
   * Sends keys to the guest, each held {@code hold} (whole milliseconds) (send_key).
   *
   * @throws IllegalArgumentException for no keys or more than libvirt's 16
   */
  public void sendKey(KeycodeSet codeset, Duration hold, int... keycodes) {
    if (keycodes.length == 0 || keycodes.length > SEND_KEY_MAX_KEYS) {
      throw new IllegalArgumentException("1 to " + SEND_KEY_MAX_KEYS + " keycodes, got "
          + keycodes.length);
    }
    long ms = hold.toMillis();
    if (ms < 0 || ms > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("hold time out of range: " + hold);
    }
    int[] keys = keycodes.clone();
    run("virDomainSendKey", p -> lv().virDomainSendKey(p, codeset.value(), (int) ms, keys,
        keys.length, 0));
  }

  // ------------------------------------------------------------------ resources

  /** The number of vCPUs, live or configured (get_vcpus). */
  public int vcpus(Set<ModificationImpact> impact) {
    return vcpus(impact, Set.of());
  }

  /** The number of vCPUs, or with {@link VcpuOption#MAXIMUM} the maximum (get_vcpus). */
  public int vcpus(Set<ModificationImpact> impact, Set<VcpuOption> options) {
    int f = LibvirtFlag.mask(impact) | LibvirtFlag.mask(options);
    return call(p -> Calls.check(nat().virDomainGetVcpusFlags(p, f), op("virDomainGetVcpusFlags")));
  }

  /** Sets the number of vCPUs (set_vcpus). */
  public void setVcpus(int count, Set<ModificationImpact> impact) {
    setVcpus(count, impact, Set.of());
  }

  /** Sets the number of vCPUs, or with {@link VcpuOption#MAXIMUM} the maximum (set_vcpus). */
  public void setVcpus(int count, Set<ModificationImpact> impact, Set<VcpuOption> options) {
    if (count < 1) {
      throw new IllegalArgumentException("vCPU count must be positive: " + count);
    }
    int f = LibvirtFlag.mask(impact) | LibvirtFlag.mask(options);
    run("virDomainSetVcpusFlags", p -> lv().virDomainSetVcpusFlags(p, count, f));
  }

  /** The most memory the guest may have, in KiB (get_max_memory). */
  public long maxMemory() {
    long kib = call(p -> lv().virDomainGetMaxMemory(p).longValue());
    if (kib == 0) {
      throw Calls.lastError(op("virDomainGetMaxMemory"));
    }
    return kib;
  }

  /** Sets the most memory the guest may have, in KiB (set_max_memory). */
  public void setMaxMemory(long kib) {
    run("virDomainSetMaxMemory", p -> lv().virDomainSetMaxMemory(p, new NativeLong(kib)));
  }

  /** Sets the most memory the guest may have, in KiB, live or configured. */
  public void setMaxMemory(long kib, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact) | MEM_MAXIMUM;
    run("virDomainSetMemoryFlags", p -> nat().virDomainSetMemoryFlags(p, new NativeLong(kib), f));
  }

  /** Sets the guest's current memory, in KiB, live or configured (set_memory). */
  public void setMemory(long kib, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    run("virDomainSetMemoryFlags", p -> nat().virDomainSetMemoryFlags(p, new NativeLong(kib), f));
  }

  /** The scheduler's name, such as {@code posix} (get_scheduler_type). */
  public String schedulerType() {
    return string("virDomainGetSchedulerType",
        p -> nat().virDomainGetSchedulerType(p, new IntByReference()));
  }

  /** The scheduler's tunables; keys in {@link SchedulerParameter} (get_scheduler_parameters). */
  public TypedParameters schedulerParameters(Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    return call(p -> {
      IntByReference n = new IntByReference();
      Calls.notNull(nat().virDomainGetSchedulerType(p, n), op("virDomainGetSchedulerType"))
          .toString(); // frees the name
      // without flags the unflagged call, as virsh does: some drivers (the test driver) refuse
      // the flag the flagged one adds for strings (VIR_TYPED_PARAM_STRING_OKAY)
      return f == 0
          ? fetch(p, n.getValue(), "virDomainGetSchedulerParameters",
              (m, c) -> nat().virDomainGetSchedulerParameters(p, m, c))
          : fetch(p, n.getValue(), "virDomainGetSchedulerParametersFlags",
              (m, c) -> nat().virDomainGetSchedulerParametersFlags(p, m, c, f));
    });
  }

  /** Sets scheduler tunables (set_scheduler_parameters). */
  public void setSchedulerParameters(TypedParameters params, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    if (f == 0) {
      store("virDomainSetSchedulerParameters", params,
          (p, w) -> nat().virDomainSetSchedulerParameters(p, w.array(), w.count()));
    } else {
      store("virDomainSetSchedulerParametersFlags", params,
          (p, w) -> nat().virDomainSetSchedulerParametersFlags(p, w.array(), w.count(), f));
    }
  }

  /** The memory tunables; keys in {@link MemoryParameter} (get_memory_parameters). */
  public TypedParameters memoryParameters(Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    return fetch("virDomainGetMemoryParameters",
        (p, m, c) -> nat().virDomainGetMemoryParameters(p, m, c, f));
  }

  /** Sets memory tunables (set_memory_parameters). */
  public void setMemoryParameters(TypedParameters params, Set<ModificationImpact> impact) {
    store("virDomainSetMemoryParameters", params, (p, w) ->
        nat().virDomainSetMemoryParameters(p, w.array(), w.count(), LibvirtFlag.mask(impact)));
  }

  /** The block I/O tunables; keys in {@link BlkioParameter} (get_blkio_parameters). */
  public TypedParameters blkioParameters(Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    return fetch("virDomainGetBlkioParameters",
        (p, m, c) -> nat().virDomainGetBlkioParameters(p, m, c, f));
  }

  /** Sets block I/O tunables (set_blkio_parameters). */
  public void setBlkioParameters(TypedParameters params, Set<ModificationImpact> impact) {
    store("virDomainSetBlkioParameters", params, (p, w) ->
        nat().virDomainSetBlkioParameters(p, w.array(), w.count(), LibvirtFlag.mask(impact)));
  }

  /** The NUMA tunables; keys in {@link NumaParameter} (get_numa_parameters). */
  public TypedParameters numaParameters(Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    return fetch("virDomainGetNumaParameters",
        (p, m, c) -> nat().virDomainGetNumaParameters(p, m, c, f));
  }

  /** Sets NUMA tunables (set_numa_parameters). */
  public void setNumaParameters(TypedParameters params, Set<ModificationImpact> impact) {
    store("virDomainSetNumaParameters", params, (p, w) ->
        nat().virDomainSetNumaParameters(p, w.array(), w.count(), LibvirtFlag.mask(impact)));
  }

  /** An interface's bandwidth; keys in {@link InterfaceParameter} (get_interface_parameters). */
  public TypedParameters interfaceParameters(String device, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    return fetch("virDomainGetInterfaceParameters",
        (p, m, c) -> nat().virDomainGetInterfaceParameters(p, device, m, c, f));
  }

  /** Sets an interface's bandwidth (set_interface_parameters). */
  public void setInterfaceParameters(String device, TypedParameters params,
      Set<ModificationImpact> impact) {
    store("virDomainSetInterfaceParameters", params, (p, w) -> nat()
        .virDomainSetInterfaceParameters(p, device, w.array(), w.count(),
            LibvirtFlag.mask(impact)));
  }

  /** A disk's I/O throttling; keys in {@link BlockIoTuneParameter} (get_block_iotune). */
  public TypedParameters blockIoTune(String disk, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    return fetch("virDomainGetBlockIoTune",
        (p, m, c) -> nat().virDomainGetBlockIoTune(p, disk, m, c, f));
  }

  /** Sets a disk's I/O throttling (set_block_iotune). */
  public void setBlockIoTune(String disk, TypedParameters params,
      Set<ModificationImpact> impact) {
    store("virDomainSetBlockIoTune", params, (p, w) ->
        nat().virDomainSetBlockIoTune(p, disk, w.array(), w.count(), LibvirtFlag.mask(impact)));
  }

  /** Hot-plugs a device, or adds it to the definition (attach_device). */
  public void attachDevice(String xml, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    run("virDomainAttachDeviceFlags", p -> lv().virDomainAttachDeviceFlags(p, xml, f));
  }

  /** Hot-unplugs a device, or removes it from the definition (detach_device). */
  public void detachDevice(String xml, Set<ModificationImpact> impact) {
    int f = LibvirtFlag.mask(impact);
    run("virDomainDetachDeviceFlags", p -> lv().virDomainDetachDeviceFlags(p, xml, f));
  }

  /** Changes a device, {@code force} as for ejecting a locked CD-ROM (update_device). */
  public void updateDevice(String xml, Set<ModificationImpact> impact, boolean force) {
    int f = LibvirtFlag.mask(impact) | (force ? DEVICE_MODIFY_FORCE : 0);
    run("virDomainUpdateDeviceFlags", p -> lv().virDomainUpdateDeviceFlags(p, xml, f));
  }

  /** Resizes a disk to {@code kib} KiB (block_resize). */
  public void blockResize(String disk, long kib) {
    run("virDomainBlockResize", p -> lv().virDomainBlockResize(p, disk, kib, 0));
  }

  /** Resizes a disk to {@code bytes} bytes (block_resize with BLOCK_RESIZE_BYTES). */
  public void blockResizeBytes(String disk, long bytes) {
    run("virDomainBlockResize", p -> lv().virDomainBlockResize(p, disk, bytes,
        BLOCK_RESIZE_BYTES));
  }

  // ------------------------------------------------------------------ statistics

  /** I/O counters of a disk, named by target or path (block_stats). */
  public BlockStats blockStats(String disk) {
    virDomainBlockStats s = new virDomainBlockStats();
    run("virDomainBlockStats", p -> lv().virDomainBlockStats(p, disk, s, new SizeT(s.size())));
    return new BlockStats(s.rd_req, s.rd_bytes, s.wr_req, s.wr_bytes, s.errs);
  }

  /** Traffic counters of an interface, named by its host device or MAC (interface_stats). */
  public InterfaceStats interfaceStats(String device) {
    virDomainInterfaceStats s = new virDomainInterfaceStats();
    run("virDomainInterfaceStats",
        p -> lv().virDomainInterfaceStats(p, device, s, new SizeT(s.size())));
    return new InterfaceStats(s.rx_bytes, s.rx_packets, s.rx_errs, s.rx_drop, s.tx_bytes,
        s.tx_packets, s.tx_errs, s.tx_drop);
  }

  /** The guest's memory statistics (memory_stats). */
  public MemoryStats memoryStats() {
    virDomainMemoryStats[] s = (virDomainMemoryStats[]) new virDomainMemoryStats()
        .toArray(MEMORY_STAT_NR + 3); // room for tags newer than libvirt 9.0's
    int n = call(p -> Calls.check(lv().virDomainMemoryStats(p, s, s.length, 0),
        op("virDomainMemoryStats")));
    Map<MemoryStatTag, Long> known = new EnumMap<>(MemoryStatTag.class);
    Map<Integer, Long> unknown = new HashMap<>();
    for (int i = 0; i < n; i++) {
      s[i].read();
      int tag = s[i].tag;
      long val = s[i].val;
      MemoryStatTag.fromCode(tag).ifPresentOrElse(t -> known.put(t, val),
          () -> unknown.put(tag, val));
    }
    return new MemoryStats(known, unknown);
  }

  /** {@code size} bytes of a disk's content from {@code offset}, at most 65536 (block_peek). */
  public byte[] blockPeek(String disk, long offset, int size) {
    ByteBuffer b = peekBuffer(size);
    run("virDomainBlockPeek", p -> lv().virDomainBlockPeek(p, disk, offset, new SizeT(size), b, 0));
    return bytes(b, size);
  }

  /** {@code size} bytes of guest memory from {@code offset}, at most 65536 (memory_peek). */
  public byte[] memoryPeek(long offset, int size, MemoryAddressMode mode) {
    ByteBuffer b = peekBuffer(size);
    run("virDomainMemoryPeek",
        p -> lv().virDomainMemoryPeek(p, offset, new SizeT(size), b, mode.value()));
    return bytes(b, size);
  }

  private static ByteBuffer peekBuffer(int size) {
    if (size < 0 || size > 65536) {
      throw new IllegalArgumentException("peek size must be 0 to 65536: " + size);
    }
    return ByteBuffer.allocateDirect(Math.max(1, size));
  }

  private static byte[] bytes(ByteBuffer b, int size) {
    byte[] out = new byte[size];
    b.get(0, out);
    return out;
  }

  // ------------------------------------------------------------------ plumbing

  private String string(String fn, Call<CString> c) {
    return call(p -> Calls.notNull(c.on(p), op(fn)).toString());
  }

  /** A typed-parameter getter: with a null array it reports the count. */
  private interface Getter {
    int call(DomainPointer p, Pointer params, IntByReference n);
  }

  private TypedParameters fetch(String fn, Getter g) {
    return call(p -> {
      IntByReference n = new IntByReference(0);
      Calls.check(g.call(p, null, n), op(fn));
      return fetch(p, n.getValue(), fn, (m, c) -> g.call(p, m, c));
    });
  }

  /** The second call of a getter, into an array of {@code count} elements. */
  private interface Fill {
    int call(Pointer params, IntByReference n);
  }

  private TypedParameters fetch(DomainPointer p, int count, String fn, Fill fill) {
    if (count <= 0) {
      return TypedParameters.empty();
    }
    Memory m = new Memory((long) count * TypedParams.SIZE);
    m.clear();
    IntByReference n = new IntByReference(count);
    Calls.check(fill.call(m, n), op(fn));
    try {
      return TypedParams.readTyped(m, n.getValue());
    } finally {
      nat().virTypedParamsClear(m, n.getValue());
    }
  }

  /** A typed-parameter setter. */
  private interface Setter {
    int call(DomainPointer p, TypedParams.Written w);
  }

  private void store(String fn, TypedParameters params, Setter s) {
    Objects.requireNonNull(params, "params");
    TypedParams.Written w = TypedParams.write(params);
    try {
      run(fn, p -> s.call(p, w));
    } finally {
      Reference.reachabilityFence(w); // its strings are freed when collected
    }
  }

  /** Frees the native handle; later calls fail. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (pointer == null) {
        return;
      }
      Libvirt.INSTANCE.virDomainFree(pointer);
      pointer = null;
    } finally {
      lock.writeLock().unlock();
    }
    owner.closed(this);
  }

  /** The name it was looked up with, and whether it is closed. */
  @Override
  public String toString() {
    lock.readLock().lock();
    try {
      return "LibvirtDomain[" + label + (pointer == null ? ", closed]" : "]");
    } finally {
      lock.readLock().unlock();
    }
  }
}
