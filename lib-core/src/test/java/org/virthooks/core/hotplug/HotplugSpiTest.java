package org.virthooks.core.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HotplugSpiTest {
  @Test
  void majorMinorIsWrittenInHexForBlkbackAndDecimalForPeople() {
    BlockDevice d = BlockDevice.of("/dev/xvdz", 254, 0);
    assertThat(d.majorMinorHex()).isEqualTo("fe:0");
    assertThat(d.majorMinor()).isEqualTo("254:0");
    assertThat(BlockDevice.of("/dev/loop12", 7, 12).majorMinorHex()).isEqualTo("7:c");
  }

  @Test
  void rdevDecodesLikeGlibc() {
    // makedev(259, 65536): major 259 = 0x103, minor 65536 = 0x10000
    long rdev = ((259L & 0xfffL) << 8) | ((259L & ~0xfffL) << 32) | (65536L & 0xffL)
        | ((65536L & ~0xffL) << 12);
    BlockDevice d = BlockDevice.fromRdev(Path.of("/dev/nvme0n1"), rdev);
    assertThat(d.major()).isEqualTo(259);
    assertThat(d.minor()).isEqualTo(65536);
    assertThat(BlockDevice.fromRdev(Path.of("/dev/loop0"), 0x700).majorMinor()).isEqualTo("7:0");
  }

  @Test
  void badDevicesAreRejected() {
    assertThatThrownBy(() -> BlockDevice.of("/dev/x", -1, 0)).hasMessageContaining("major");
    assertThatThrownBy(() -> BlockDevice.of("/dev/x", 1, 1 << 20)).hasMessageContaining("minor");
    assertThatThrownBy(() -> BlockDevice.of(" ", 1, 1)).hasMessageContaining("path");
  }

  @Test
  void phasesParseFromTheScriptArgument() {
    for (HotplugPhase p : HotplugPhase.values()) {
      assertThat(HotplugPhase.parse(p.argument())).isEqualTo(p);
    }
    assertThatThrownBy(() -> HotplugPhase.parse("attach")).hasMessageContaining("'attach'");
    assertThatThrownBy(() -> HotplugPhase.parse(null)).hasMessageContaining("'null'");
    assertThat(HotplugPhase.ADD.needsPrepare()).isTrue();
    assertThat(HotplugPhase.UNPREPARE.needsPrepare()).isFalse();
  }

  @Test
  void answersComeFromTheMethodOfEachPhase() throws Exception {
    List<String> calls = new ArrayList<>();
    HotplugHandler h = new HotplugHandler() {
      @Override
      public int version() {
        return 2;
      }

      @Override
      public void prepare(HotplugRequest r) {
        calls.add("prepare " + r.params().orElse(""));
      }

      @Override
      public BlockDevice add(HotplugRequest r) {
        calls.add("add");
        return BlockDevice.of("/dev/loop3", 7, 3);
      }

      @Override
      public void remove(HotplugRequest r) {
        calls.add("remove");
      }
    };
    assertThat(HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.VERSION, null)).version())
        .hasValue(2);
    HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.PREPARE, "/img"));
    assertThat(HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.ADD, "/img")).device())
        .contains(BlockDevice.of("/dev/loop3", 7, 3));
    // localattach and localdetach default to add and remove
    assertThat(HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.LOCALATTACH, "/img")).device())
        .isPresent();
    HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.LOCALDETACH, "/img"));
    HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.UNPREPARE, "/img"));
    assertThat(calls).containsExactly("prepare /img", "add", "add", "remove");
  }

  @Test
  void aHandlerReturningNoDeviceFails() {
    HotplugHandler h = r -> null;
    assertThatThrownBy(() -> HotplugAnswer.call(h, HotplugRequest.of(HotplugPhase.ADD, "x")))
        .isInstanceOf(HotplugException.class).hasMessageContaining("no block device");
    assertThat(HotplugException.busy("in use by domain 3").isBusy()).isTrue();
    assertThat(new HotplugException("x").isBusy()).isFalse();
  }

  @Test
  void readOnlyFollowsTheMode() {
    HotplugRequest r = new HotplugRequest(HotplugPhase.ADD, null, null, null,
        java.util.Optional.of("r"), null, null);
    assertThat(r.readOnly()).isTrue();
    assertThat(HotplugRequest.of(HotplugPhase.ADD, "x").readOnly()).isFalse();
  }
}
