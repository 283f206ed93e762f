package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The numbers of the flag and code enums, as libvirt 9.0's libvirt-domain.h, libvirt-host.h and
 * virterror.h define them (a changed number must fail here, not on a daemon).
 */
class DomainConstantsTest {

  @Test
  void flagsAreLibvirtsBits() {
    assertThat(LibvirtFlag.mask(EnumSet.allOf(ModificationImpact.class))).isEqualTo(3);
    assertThat(LibvirtFlag.mask(Set.of(ModificationImpact.CURRENT))).isZero();
    assertThat(LibvirtFlag.mask(EnumSet.allOf(XmlFlag.class))).isEqualTo(0b1111);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(StartFlag.class))).isEqualTo(0b11_1111);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(ShutdownMode.class))).isEqualTo(0b1_1111);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(DestroyFlag.class))).isEqualTo(0b11);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(UndefineFlag.class))).isEqualTo(0b111_1111);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(DumpFlag.class))).isEqualTo(0b1_1111);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(VcpuOption.class))).isEqualTo(0b1_1100);
    assertThat(LibvirtFlag.mask(EnumSet.allOf(MemoryAddressMode.class))).isEqualTo(0b11);
    assertThat(StartFlag.FORCE_BOOT.value()).isEqualTo(8);
    assertThat(UndefineFlag.KEEP_NVRAM.value()).isEqualTo(8);
    assertThat(ShutdownMode.GUEST_AGENT.value()).isEqualTo(2);
    assertThat(XmlFlag.INACTIVE.value()).isEqualTo(2);
  }

  @Test
  void enumeratedValuesAreLibvirtsNumbers() {
    assertThat(PmSuspendTarget.HYBRID.value()).isEqualTo(2);
    assertThat(KeycodeSet.QNUM.value()).isEqualTo(9);
    assertThat(KeycodeSet.USB.value()).isEqualTo(7);
    assertThat(MetadataType.ELEMENT.value()).isEqualTo(2);
    assertThat(ControlState.fromCode(3)).hasValue(ControlState.ERROR);
    assertThat(ControlErrorReason.fromCode(2)).hasValue(ControlErrorReason.MONITOR);
    assertThat(DiskErrorCode.fromCode(2)).hasValue(DiskErrorCode.NO_SPACE);
    assertThat(MemoryStatTag.fromCode(12)).hasValue(MemoryStatTag.HUGETLB_PGFAIL);
    assertThat(MemoryStatTag.fromCode(13)).isEmpty();
    for (MemoryStatTag t : MemoryStatTag.values()) {
      assertThat(t.code()).isEqualTo(t.ordinal());
    }
    for (KeycodeSet k : KeycodeSet.values()) {
      assertThat(k.value()).isEqualTo(k.ordinal());
    }
  }

  @Test
  void parameterKeysAreLibvirtsNames() {
    assertThat(MemoryParameter.SWAP_HARD_LIMIT.key()).isEqualTo("swap_hard_limit");
    assertThat(BlkioParameter.DEVICE_READ_BPS.key()).isEqualTo("device_read_bytes_sec");
    assertThat(InterfaceParameter.IN_FLOOR.key()).isEqualTo("inbound.floor");
    assertThat(BlockIoTuneParameter.WRITE_IOPS_SEC_MAX_LENGTH.key())
        .isEqualTo("write_iops_sec_max_length");
    assertThat(BlockIoTuneParameter.values()).hasSize(20);
    assertThat(SchedulerParameter.VCPU_QUOTA.type()).isEqualTo(TypedParameter.Type.LLONG);
    assertThat(TypedParameters.MEMORY_UNLIMITED).isEqualTo(Long.MAX_VALUE >> 10);
  }

  @Test
  void errorNamesAreVirterrorsNumbers() {
    assertThat(new LibvirtDomainException("op", 42, 12, "m").codeName())
        .isEqualTo("VIR_ERR_NO_DOMAIN");
    assertThat(new LibvirtDomainException("op", 110, 72, "m").codeName())
        .isEqualTo("VIR_ERR_MULTIPLE_DOMAINS");
    assertThat(new LibvirtDomainException("op", 110, 72, "m").errorDomainName())
        .isEqualTo("VIR_FROM_CH");
    assertThat(new LibvirtDomainException("op", 111, 73, "m").codeName()).isEqualTo("VIR_ERR_111");
    assertThat(new LibvirtDomainException("op", 84, 0, "m").isUnsupported()).isTrue();
    assertThat(new LibvirtDomainException("op", 55, 20, "m").errorDomainName())
        .isEqualTo("VIR_FROM_DOMAIN");
    assertThat(new LibvirtDomainException("op", -1, -1, "m").getMessage())
        .isEqualTo("op failed: m (VIR_ERR_-1, VIR_FROM_-1)");
  }
}
