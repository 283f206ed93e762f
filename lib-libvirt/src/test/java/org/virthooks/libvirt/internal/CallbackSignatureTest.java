package org.virthooks.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.libvirt.Connect;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.NetworkPointer;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.EventStamper;
import org.virthooks.core.Operation;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.libvirt.DomainEventId;
import org.virthooks.libvirt.HostEventId;

/**
 * Every callback of {@link CallbackTable}, called from native code through its own function
 * pointer with the arguments of its C signature as libvirt's headers declare it (libvirt-domain.h,
 * libvirt-network.h, libvirt-storage.h, libvirt-nodedev.h, libvirt-secret.h; checked against
 * libvirt 9.0's and upstream's), and the typed event it makes. JNA converts the native arguments
 * by the Java interface's declaration, so a Java signature that differs from the C one (an
 * {@code int} for a {@code long long}, a missing or swapped argument, a string for a struct)
 * reads wrong values here and fails this test, not production.
 *
 * <p>This is the only proof for the callbacks no test can trigger on the wire without a guest OS
 * or hardware: AGENT_LIFECYCLE (a guest agent must connect), PMSUSPEND, PMSUSPEND_DISK,
 * PMWAKEUP (guest power management), RTC_CHANGE (the guest sets its clock), WATCHDOG (the guest
 * arms it), IO_ERROR and IO_ERROR_REASON (guest I/O on a failing disk), BALLOON_CHANGE (the
 * guest's balloon driver), MEMORY_DEVICE_SIZE_CHANGE (virtio-mem in the guest),
 * DEVICE_REMOVAL_FAILED (a guest refusing an unplug), MEMORY_FAILURE (a host memory error),
 * CONTROL_ERROR (a broken monitor), MIGRATION_ITERATION (a live migration to a second host), and
 * the IDs libvirt 9.0 does not have: NIC_MAC_CHANGE (11.2) and network METADATA_CHANGE (9.8);
 * node device events (a device appearing on the host). Domain, pool and node-device pointers
 * are real objects of the test driver, because the callbacks read their names; a secret pointer
 * is null (the test driver has no secrets), which libvirt's accessors answer with an error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallbackSignatureTest {
  private static final long BIG = 0x1_0000_0002L; // does not fit an int: a truncation shows

  /** A libvirt-java connection whose native pointer the test may use. */
  static final class PointerConnect extends Connect {
    PointerConnect(String uri) throws org.libvirt.LibvirtException {
      super(uri);
    }

    ConnectionPointer pointer() {
      return vcp;
    }
  }

  PointerConnect conn;
  Pointer dom;
  Pointer pool;
  Pointer device;
  NetworkPointer net;
  final List<VirtEvent> emitted = new ArrayList<>();
  CallbackTable table;
  final List<Memory> keep = new ArrayList<>();

  @BeforeAll
  void open() throws Exception {
    conn = new PointerConnect("test:///default");
    ConnectionPointer cp = conn.pointer();
    dom = Libvirt.INSTANCE.virDomainLookupByName(cp, "test").getPointer();
    pool = Libvirt.INSTANCE.virStoragePoolLookupByName(cp, "default-pool").getPointer();
    device = Libvirt.INSTANCE.virNodeDeviceLookupByName(cp, "computer").getPointer();
    net = Libvirt.INSTANCE.virNetworkLookupByName(cp, "default");
    table = new CallbackTable("test:///default",
        new EventStamper(SourceId.of("libvirt", "test:///default")), new CallbackTable.Output() {
          @Override
          public void emit(VirtEvent e, org.libvirt.jna.DomainPointer d) {
            emitted.add(e);
          }

          @Override
          public void publish(VirtEvent e) {
            emitted.add(e);
          }
        });
  }

  @AfterAll
  void close() throws Exception {
    conn.close();
  }

  /** Calls {@code cb} through its native trampoline with C-typed arguments; the one event made. */
  VirtEvent call(Callback cb, boolean returnsInt, Object... cArgs) {
    emitted.clear();
    Function f = Function.getFunction(CallbackReference.getFunctionPointer(cb));
    if (returnsInt) {
      assertThat(f.invokeInt(cArgs)).isZero();
    } else {
      f.invoke(Void.class, cArgs);
    }
    assertThat(emitted).as("events made by one call").hasSize(1);
    return emitted.get(0);
  }

  VirtEvent domain(DomainEventId id, Object... middle) {
    Object[] args = new Object[middle.length + 3];
    args[0] = Pointer.NULL;
    args[1] = dom;
    System.arraycopy(middle, 0, args, 2, middle.length);
    args[args.length - 1] = Pointer.NULL; // opaque
    VirtEvent e = call(table.domain(id, () -> true), id == DomainEventId.LIFECYCLE, args);
    assertThat(e.optionalDomain()).as("%s read the domain", id).hasValueSatisfying(
        d -> assertThat(d.name()).isEqualTo("test"));
    return e;
  }

  <P extends DomainPayload> P payload(VirtEvent e, Class<P> type) {
    assertThat(e).isInstanceOf(DomainEvent.class);
    return ((DomainEvent) e).payload(type).orElseThrow(
        () -> new AssertionError("no " + type.getSimpleName() + " payload: " + e));
  }

  /** A C string that stays allocated for the test. */
  Pointer cString(String s) {
    Memory m = new Memory(s.length() + 1L);
    m.setString(0, s, "UTF-8");
    keep.add(m);
    return m;
  }

  @Test
  void everyDomainCallbackReadsItsCSignature() {
    Set<DomainEventId> done = EnumSet.noneOf(DomainEventId.class);
    // virConnectDomainEventCallback: int (conn, dom, int event, int detail, opaque)
    DomainEvent life = (DomainEvent) domain(DomainEventId.LIFECYCLE, 5, 1);
    assertThat(life.kind()).isEqualTo(DomainEvent.Kind.STOPPED);
    assertThat(life.detail()).contains("DESTROYED");
    done.add(DomainEventId.LIFECYCLE);
    // virConnectDomainEventGenericCallback: void (conn, dom, opaque)
    assertThat(((DomainEvent) domain(DomainEventId.REBOOT)).kind())
        .isEqualTo(DomainEvent.Kind.REBOOTED);
    assertThat(((DomainEvent) domain(DomainEventId.CONTROL_ERROR)).kind())
        .isEqualTo(DomainEvent.Kind.CONTROL_ERROR);
    done.addAll(List.of(DomainEventId.REBOOT, DomainEventId.CONTROL_ERROR));
    // RTCChange: (conn, dom, long long utcoffset, opaque)
    assertThat(payload(domain(DomainEventId.RTC_CHANGE, -BIG), DomainPayload.RtcChange.class)
        .utcOffset()).isEqualTo(-BIG);
    done.add(DomainEventId.RTC_CHANGE);
    // Watchdog: (conn, dom, int action, opaque); 6 = INJECTNMI
    assertThat(((DomainEvent) domain(DomainEventId.WATCHDOG, 6)).detail()).contains("INJECTNMI");
    done.add(DomainEventId.WATCHDOG);
    // IOError: (conn, dom, const char *srcPath, const char *devAlias, int action, opaque)
    VirtEvent io = domain(DomainEventId.IO_ERROR, "/img", "virtio-disk0", 1);
    assertThat(io.meta().attributes()).containsEntry("srcPath", "/img")
        .containsEntry("devAlias", "virtio-disk0").containsEntry("actionName", "PAUSE");
    // IOErrorReason: (..., int action, const char *reason, opaque)
    VirtEvent ior = domain(DomainEventId.IO_ERROR_REASON, "/img", "virtio-disk0", 2, "enospc");
    assertThat(ior.meta().attributes()).containsEntry("actionName", "REPORT")
        .containsEntry("reason", "enospc");
    done.addAll(List.of(DomainEventId.IO_ERROR, DomainEventId.IO_ERROR_REASON));
    // Graphics: (conn, dom, int phase, const virDomainEventGraphicsAddress *local,
    //   const virDomainEventGraphicsAddress *remote, const char *authScheme,
    //   const virDomainEventGraphicsSubject *subject, opaque)
    int ptr = Native.POINTER_SIZE;
    Memory local = address(0, "127.0.0.1", "5900");
    Memory remote = address(1, "::1", "40001");
    Memory ids = new Memory(4L * ptr);
    ids.setPointer(0, cString("x509dname"));
    ids.setPointer(ptr, cString("CN=client"));
    ids.setPointer(2L * ptr, cString("saslUsername"));
    ids.setPointer(3L * ptr, cString("fred"));
    Memory subject = new Memory(2L * ptr);
    subject.setInt(0, 2);
    subject.setPointer(ptr, ids);
    keep.addAll(List.of(local, remote, ids, subject));
    DomainPayload.Graphics g = payload(domain(DomainEventId.GRAPHICS, 1, local, remote, "sasl",
        subject), DomainPayload.Graphics.class);
    assertThat(g.phase()).isEqualTo(DomainPayload.GraphicsPhase.INITIALIZE);
    assertThat(g.local().orElseThrow()).isEqualTo(new DomainPayload.Graphics.Address(
        DomainPayload.AddressFamily.IPV4, java.util.Optional.of("127.0.0.1"),
        java.util.Optional.of("5900")));
    assertThat(g.remote().orElseThrow().family()).isEqualTo(DomainPayload.AddressFamily.IPV6);
    assertThat(g.remote().orElseThrow().node()).contains("::1");
    assertThat(g.authScheme()).contains("sasl");
    assertThat(g.subject()).containsExactly(
        new DomainPayload.Graphics.Identity("x509dname", "CN=client"),
        new DomainPayload.Graphics.Identity("saslUsername", "fred"));
    done.add(DomainEventId.GRAPHICS);
    // BlockJob (and BLOCK_JOB_2): (conn, dom, const char *disk, int type, int status, opaque)
    for (DomainEventId id : List.of(DomainEventId.BLOCK_JOB, DomainEventId.BLOCK_JOB_2)) {
      ProgressEvent b = (ProgressEvent) domain(id, "vda", 4, 0);
      assertThat(b.meta().attributes()).containsEntry("disk", "vda")
          .containsEntry("type", "ACTIVE_COMMIT").containsEntry("status", "COMPLETED");
      assertThat(b.status()).isEqualTo(ProgressEvent.Status.DONE);
      done.add(id);
    }
    // DiskChange: (conn, dom, const char *oldSrcPath, const char *newSrcPath,
    //   const char *devAlias, int reason, opaque)
    DomainPayload.DiskChange dc = payload(domain(DomainEventId.DISK_CHANGE, "/old.iso",
        "/new.iso", "ide0-1-0", 1), DomainPayload.DiskChange.class);
    assertThat(dc).isEqualTo(new DomainPayload.DiskChange(java.util.Optional.of("/old.iso"),
        java.util.Optional.of("/new.iso"), java.util.Optional.of("ide0-1-0"),
        DomainPayload.DiskChangeReason.DROP_MISSING_ON_START));
    done.add(DomainEventId.DISK_CHANGE);
    // TrayChange: (conn, dom, const char *devAlias, int reason, opaque)
    DomainPayload.TrayChange tc = payload(domain(DomainEventId.TRAY_CHANGE, "ide0-1-0", 1),
        DomainPayload.TrayChange.class);
    assertThat(tc.alias()).contains("ide0-1-0");
    assertThat(tc.reason()).isEqualTo(DomainPayload.TrayReason.CLOSE);
    done.add(DomainEventId.TRAY_CHANGE);
    // PMWakeup, PMSuspend, PMSuspendDisk: (conn, dom, int reason, opaque)
    assertThat(domain(DomainEventId.PMWAKEUP, 7).meta().attributes()).containsEntry("reason", "7");
    assertThat(((DomainEvent) domain(DomainEventId.PMSUSPEND, 0)).detail()).contains("MEMORY");
    assertThat(((DomainEvent) domain(DomainEventId.PMSUSPEND_DISK, 0)).detail()).contains("DISK");
    done.addAll(List.of(DomainEventId.PMWAKEUP, DomainEventId.PMSUSPEND,
        DomainEventId.PMSUSPEND_DISK));
    // BalloonChange: (conn, dom, unsigned long long actual, opaque)
    assertThat(domain(DomainEventId.BALLOON_CHANGE, BIG).meta().attributes())
        .containsEntry("actualKib", Long.toString(BIG));
    done.add(DomainEventId.BALLOON_CHANGE);
    // DeviceRemoved, DeviceAdded, DeviceRemovalFailed: (conn, dom, const char *devAlias, opaque)
    for (DomainEventId id : List.of(DomainEventId.DEVICE_REMOVED, DomainEventId.DEVICE_ADDED,
        DomainEventId.DEVICE_REMOVAL_FAILED)) {
      ResourceEvent r = (ResourceEvent) domain(id, "net1");
      assertThat(r.name()).contains("net1");
      assertThat(r.resource()).isEqualTo(ResourceType.DEVICE);
      done.add(id);
    }
    // Tunable, JobCompleted: (conn, dom, virTypedParameterPtr params, int nparams, opaque)
    Memory params = new Memory(2L * TypedParams.SIZE);
    params.clear();
    params.setString(0, "cputune.vcpupin0", "UTF-8");
    params.setInt(80, 7); // VIR_TYPED_PARAM_STRING
    params.setPointer(88, cString("0-1"));
    params.setString(TypedParams.SIZE, "cputune.shares", "UTF-8");
    params.setInt(TypedParams.SIZE + 80L, 4); // VIR_TYPED_PARAM_ULLONG
    params.setLong(TypedParams.SIZE + 88L, BIG);
    keep.add(params);
    assertThat(domain(DomainEventId.TUNABLE, params, 2).meta().attributes())
        .containsEntry("cputune.vcpupin0", "0-1").containsEntry("cputune.shares",
            Long.toString(BIG));
    assertThat(domain(DomainEventId.JOB_COMPLETED, params, 1).meta().attributes())
        .containsEntry("cputune.vcpupin0", "0-1").doesNotContainKey("cputune.shares");
    done.addAll(List.of(DomainEventId.TUNABLE, DomainEventId.JOB_COMPLETED));
    // AgentLifecycle: (conn, dom, int state, int reason, opaque)
    DomainPayload.AgentLifecycle al = payload(domain(DomainEventId.AGENT_LIFECYCLE, 2, 1),
        DomainPayload.AgentLifecycle.class);
    assertThat(al.state()).isEqualTo(DomainPayload.AgentState.DISCONNECTED);
    assertThat(al.reason()).isEqualTo(DomainPayload.AgentReason.DOMAIN_STARTED);
    done.add(DomainEventId.AGENT_LIFECYCLE);
    // MigrationIteration: (conn, dom, int iteration, opaque)
    assertThat(domain(DomainEventId.MIGRATION_ITERATION, 3).meta().attributes())
        .containsEntry("iteration", "3");
    done.add(DomainEventId.MIGRATION_ITERATION);
    // MetadataChange: (conn, dom, int type, const char *nsuri, opaque)
    DomainPayload.MetadataChange mc = payload(domain(DomainEventId.METADATA_CHANGE, 2,
        "http://example.org/x"), DomainPayload.MetadataChange.class);
    assertThat(mc.type()).isEqualTo(DomainPayload.MetadataType.ELEMENT);
    assertThat(mc.namespaceUri()).contains("http://example.org/x");
    done.add(DomainEventId.METADATA_CHANGE);
    // BlockThreshold: (conn, dom, const char *dev, const char *path,
    //   unsigned long long threshold, unsigned long long excess, opaque)
    DomainPayload.BlockThreshold bt = payload(domain(DomainEventId.BLOCK_THRESHOLD, "vda[1]",
        "/base.qcow2", BIG, -2L), DomainPayload.BlockThreshold.class);
    assertThat(bt).isEqualTo(new DomainPayload.BlockThreshold("vda[1]",
        java.util.Optional.of("/base.qcow2"), BIG, -2L));
    done.add(DomainEventId.BLOCK_THRESHOLD);
    // MemoryFailure: (conn, dom, int recipient, int action, unsigned int flags, opaque)
    DomainPayload.MemoryFailure mf = payload(domain(DomainEventId.MEMORY_FAILURE, 1, 3, 3),
        DomainPayload.MemoryFailure.class);
    assertThat(mf.recipient()).isEqualTo(DomainPayload.MemoryFailureRecipient.GUEST);
    assertThat(mf.action()).isEqualTo(DomainPayload.MemoryFailureAction.RESET);
    assertThat(mf.flags()).containsExactlyInAnyOrder(DomainPayload.MemoryFailureFlag.values());
    done.add(DomainEventId.MEMORY_FAILURE);
    // MemoryDeviceSizeChange: (conn, dom, const char *alias, unsigned long long size, opaque)
    assertThat(domain(DomainEventId.MEMORY_DEVICE_SIZE_CHANGE, "virtiomem0", BIG).meta()
        .attributes()).containsEntry("devAlias", "virtiomem0")
        .containsEntry("sizeKib", Long.toString(BIG));
    done.add(DomainEventId.MEMORY_DEVICE_SIZE_CHANGE);
    // NICMACChange: (conn, dom, const char *alias, const char *oldMAC, const char *newMAC, opaque)
    DomainPayload.NicMacChange nm = payload(domain(DomainEventId.NIC_MAC_CHANGE, "net0",
        "52:54:00:00:00:01", "52:54:00:00:00:02"), DomainPayload.NicMacChange.class);
    assertThat(nm.alias()).contains("net0");
    assertThat(nm.oldMac()).contains("52:54:00:00:00:01");
    assertThat(nm.newMac()).contains("52:54:00:00:00:02");
    done.add(DomainEventId.NIC_MAC_CHANGE);
    assertThat(done).as("every domain event ID called").isEqualTo(
        EnumSet.allOf(DomainEventId.class));
  }

  private Memory address(int family, String node, String service) {
    int ptr = Native.POINTER_SIZE;
    Memory m = new Memory(3L * ptr);
    m.clear();
    m.setInt(0, family);
    m.setPointer(ptr, cString(node));
    m.setPointer(2L * ptr, cString(service));
    return m;
  }

  ResourceEvent host(HostEventId id, Pointer obj, Object... middle) {
    Object[] args = new Object[middle.length + 3];
    args[0] = Pointer.NULL;
    args[1] = obj;
    System.arraycopy(middle, 0, args, 2, middle.length);
    args[args.length - 1] = Pointer.NULL;
    return (ResourceEvent) call(table.host(id, () -> true), false, args);
  }

  @Test
  void everyHostCallbackReadsItsCSignature() {
    Set<HostEventId> done = EnumSet.noneOf(HostEventId.class);
    // virConnectNetworkEventLifecycleCallback: (conn, net, int event, int detail, opaque)
    ResourceEvent n = host(HostEventId.NETWORK_LIFECYCLE, net.getPointer(), 2, 0);
    assertThat(n.operation()).isEqualTo(Operation.START);
    assertThat(n.name()).contains("default");
    done.add(HostEventId.NETWORK_LIFECYCLE);
    // virConnectNetworkEventMetadataChangeCallback (9.8): (conn, net, int type, const char *nsuri, opaque)
    ResourceEvent nm = host(HostEventId.NETWORK_METADATA_CHANGE, net.getPointer(), 2, "http://x/");
    assertThat(nm.kindName()).isEqualTo("set-network");
    assertThat(nm.meta().attributes()).containsEntry("metadataType", "element")
        .containsEntry("nsuri", "http://x/");
    done.add(HostEventId.NETWORK_METADATA_CHANGE);
    // virConnectStoragePoolEventLifecycleCallback: (conn, pool, int event, int detail, opaque)
    ResourceEvent pl = host(HostEventId.STORAGE_POOL_LIFECYCLE, pool, 4, 0);
    assertThat(pl.kindName()).isEqualTo("create-storage-pool");
    assertThat(pl.name()).contains("default-pool");
    assertThat(pl.meta().attributes()).containsKey("uuid");
    done.add(HostEventId.STORAGE_POOL_LIFECYCLE);
    // virConnectStoragePoolEventGenericCallback: (conn, pool, opaque)
    assertThat(host(HostEventId.STORAGE_POOL_REFRESH, pool).kindName())
        .isEqualTo("refresh-storage-pool");
    done.add(HostEventId.STORAGE_POOL_REFRESH);
    // virConnectNodeDeviceEventLifecycleCallback: (conn, dev, int event, int detail, opaque)
    ResourceEvent dl = host(HostEventId.NODE_DEVICE_LIFECYCLE, device, 2, 0);
    assertThat(dl.kindName()).isEqualTo("add-node-device");
    assertThat(dl.name()).contains("computer");
    done.add(HostEventId.NODE_DEVICE_LIFECYCLE);
    // virConnectNodeDeviceEventGenericCallback: (conn, dev, opaque)
    assertThat(host(HostEventId.NODE_DEVICE_UPDATE, device).kindName())
        .isEqualTo("set-node-device");
    done.add(HostEventId.NODE_DEVICE_UPDATE);
    // virConnectSecretEventLifecycleCallback: (conn, secret, int event, int detail, opaque)
    ResourceEvent sl = host(HostEventId.SECRET_LIFECYCLE, Pointer.NULL, 1, 0);
    assertThat(sl.kindName()).isEqualTo("remove-secret");
    assertThat(sl.meta().attributes()).containsEntry("event", "1").containsEntry("detail", "0");
    done.add(HostEventId.SECRET_LIFECYCLE);
    // virConnectSecretEventGenericCallback: (conn, secret, opaque)
    assertThat(host(HostEventId.SECRET_VALUE_CHANGED, Pointer.NULL).kindName())
        .isEqualTo("set-secret");
    done.add(HostEventId.SECRET_VALUE_CHANGED);
    assertThat(done).isEqualTo(EnumSet.allOf(HostEventId.class));
    Libvirt.INSTANCE.virResetLastError(); // the null secret's accessors set it
  }

  @Test
  void aStaleConnectionsCallbackMakesNoEvent() {
    emitted.clear();
    Function f = Function.getFunction(CallbackReference.getFunctionPointer(
        table.domain(DomainEventId.TRAY_CHANGE, () -> false)));
    f.invoke(Void.class, new Object[] {Pointer.NULL, dom, "ide0-1-0", 0, Pointer.NULL});
    assertThat(emitted).isEmpty();
  }
}
