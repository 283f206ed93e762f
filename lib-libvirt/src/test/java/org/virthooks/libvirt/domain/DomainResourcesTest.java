package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * vCPUs and memory (live and config), tunables as typed parameters, and the calls the test
 * driver does not implement (device hot-plug, block resize, power management), which must fail
 * with libvirt's "not supported" code; {@code RealLibvirtdDomainApiTest} runs those for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainResourcesTest {
  static final Set<ModificationImpact> LIVE = Set.of(ModificationImpact.LIVE);
  static final Set<ModificationImpact> CONFIG = Set.of(ModificationImpact.CONFIG);
  static final Set<ModificationImpact> CURRENT = Set.of(ModificationImpact.CURRENT);
  LibvirtDomains domains;
  LibvirtDomain guest;
  LibvirtDomain builtin;

  @BeforeAll
  void open() {
    domains = LibvirtDomains.open(TestDriver.URI);
    guest = domains.define(TestDriver.guest("vh-resources"));
    guest.start();
    builtin = domains.byName(TestDriver.BUILTIN);
  }

  @AfterAll
  void close() {
    guest.destroy();
    guest.undefine();
    domains.close();
  }

  @Test
  void vcpusLiveAndConfigAreSetApart() {
    assertThat(guest.vcpus(LIVE)).isEqualTo(2);
    assertThat(guest.vcpus(CONFIG, Set.of(VcpuOption.MAXIMUM))).isEqualTo(2);
    guest.setVcpus(1, LIVE);
    assertThat(guest.vcpus(LIVE)).isEqualTo(1);
    assertThat(guest.vcpus(CONFIG)).isEqualTo(2);
    assertThat(guest.info().vcpus()).isEqualTo(1);
    guest.setVcpus(2, LIVE);
    assertThatThrownBy(() -> guest.setVcpus(64, LIVE)).isInstanceOf(LibvirtDomainException.class);
    assertThatThrownBy(() -> guest.setVcpus(0, LIVE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void memoryAndMaximumMemory() {
    assertThat(guest.maxMemory()).isEqualTo(524288);
    guest.setMemory(131072, LIVE);
    assertThat(guest.info().memoryKib()).isEqualTo(131072);
    guest.setMaxMemory(1048576, CONFIG);
    assertThat(guest.xml(Set.of(XmlFlag.INACTIVE)))
        .contains("<memory unit='KiB'>1048576</memory>");
    assertThat(guest.maxMemory()).isEqualTo(524288); // the live guest's
    assertThatThrownBy(() -> guest.setMemory(4_194_304, LIVE))
        .isInstanceOf(LibvirtDomainException.class);
  }

  @Test
  void schedulerTypeAndParameters() {
    assertThat(builtin.schedulerType()).isEqualTo("fair");
    TypedParameters p = builtin.schedulerParameters(CURRENT);
    assertThat(p.get(SchedulerParameter.WEIGHT)).hasValueSatisfying(w -> {
      assertThat(w.type()).isEqualTo(TypedParameter.Type.UINT);
      assertThat(w.asLong()).isEqualTo(50);
    });
    // the test driver accepts and ignores a weight
    builtin.setSchedulerParameters(
        TypedParameters.builder().set(SchedulerParameter.WEIGHT, 20).build(), CURRENT);
  }

  @Test
  void memoryParametersAreTypedAndSet() {
    TypedParameters p = guest.memoryParameters(LIVE);
    assertThat(p.getLong(MemoryParameter.HARD_LIMIT)).hasValue(TypedParameters.MEMORY_UNLIMITED);
    assertThat(p.get(MemoryParameter.SOFT_LIMIT)).hasValueSatisfying(
        v -> assertThat(v.type()).isEqualTo(MemoryParameter.SOFT_LIMIT.type()));
    guest.setMemoryParameters(TypedParameters.builder()
        .set(MemoryParameter.HARD_LIMIT, 1_000_000).build(), LIVE);
    assertThat(guest.memoryParameters(LIVE).getLong(MemoryParameter.HARD_LIMIT))
        .hasValue(1_000_000);
  }

  @Test
  void blkioParametersWithStringsAndIntegers() {
    TypedParameters p = builtin.blkioParameters(LIVE);
    assertThat(p.get(BlkioParameter.DEVICE_WEIGHT)).hasValueSatisfying(
        v -> assertThat(v.type()).isEqualTo(TypedParameter.Type.STRING));
    builtin.setBlkioParameters(TypedParameters.builder().set(BlkioParameter.WEIGHT, 300).build(),
        LIVE);
    assertThat(builtin.blkioParameters(LIVE).getLong(BlkioParameter.WEIGHT)).hasValue(300);
  }

  @Test
  void numaParameters() {
    TypedParameters p = builtin.numaParameters(LIVE);
    assertThat(p.getLong(NumaParameter.MODE)).hasValue(0); // strict
    assertThat(p.get(NumaParameter.NODESET)).isPresent();
  }

  @Test
  void interfaceParametersAreSetAndReadBack() {
    assertThat(builtin.interfaceParameters("testnet0", LIVE).getLong(InterfaceParameter.IN_AVERAGE))
        .isPresent();
    builtin.setInterfaceParameters("testnet0", TypedParameters.builder()
        .set(InterfaceParameter.IN_AVERAGE, 100).set(InterfaceParameter.IN_PEAK, 200)
        .set(InterfaceParameter.IN_BURST, 300).build(), LIVE);
    TypedParameters p = builtin.interfaceParameters("testnet0", LIVE);
    assertThat(p.getLong(InterfaceParameter.IN_AVERAGE)).hasValue(100);
    assertThat(p.getLong(InterfaceParameter.IN_PEAK)).hasValue(200);
    assertThat(p.getLong(InterfaceParameter.IN_BURST)).hasValue(300);
  }

  @Test
  void blockIoTuneHasEveryNamedKeyAndIsSet() {
    TypedParameters p = builtin.blockIoTune("vda", LIVE);
    for (BlockIoTuneParameter k : BlockIoTuneParameter.values()) {
      assertThat(p.get(k)).as(k.key()).hasValueSatisfying(
          v -> assertThat(v.type()).as(k.key()).isEqualTo(k.type()));
    }
    builtin.setBlockIoTune("vda", TypedParameters.builder()
        .set(BlockIoTuneParameter.TOTAL_BYTES_SEC, 1000)
        .set(BlockIoTuneParameter.TOTAL_BYTES_SEC_MAX, 2000).build(), LIVE);
    TypedParameters after = builtin.blockIoTune("vda", LIVE);
    assertThat(after.getLong(BlockIoTuneParameter.TOTAL_BYTES_SEC)).hasValue(1000);
    assertThat(after.getLong(BlockIoTuneParameter.TOTAL_BYTES_SEC_MAX)).hasValue(2000);
    assertThatThrownBy(() -> builtin.setBlockIoTune("vda", TypedParameters.builder()
        .set(BlockIoTuneParameter.READ_BYTES_SEC, 5000)
        .set(BlockIoTuneParameter.READ_BYTES_SEC_MAX, 10).build(), LIVE))
        .isInstanceOfSatisfying(LibvirtDomainException.class,
            e -> assertThat(e.code()).isEqualTo(LibvirtDomainException.INVALID_ARG));
  }

  @Test
  void whatTheTestDriverLacksFailsAsUnsupported() {
    String nic = "<interface type='network'><source network='default'/></interface>";
    for (Runnable call : new Runnable[] {
        () -> guest.attachDevice(nic, LIVE),
        () -> guest.detachDevice(nic, LIVE),
        () -> guest.updateDevice(nic, LIVE, false),
        () -> builtin.blockResize("vda", 1024),
        () -> builtin.blockResizeBytes("vda", 1 << 20),
        () -> guest.pmSuspend(PmSuspendTarget.MEM, Duration.ZERO),
        () -> guest.pmWakeup()}) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(LibvirtDomainException.class,
          e -> assertThat(e.isUnsupported()).as(e.getMessage()).isTrue());
    }
  }
}
