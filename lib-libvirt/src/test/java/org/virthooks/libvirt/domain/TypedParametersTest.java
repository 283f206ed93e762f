package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virthooks.libvirt.internal.TypedParams;

/** Typed parameters: the checks of the builder and the record, and the native array round trip. */
class TypedParametersTest {

  @Test
  void theBuilderChecksEachKeysType() {
    assertThatThrownBy(() -> TypedParameters.builder().set(NumaParameter.NODESET, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("numa_nodeset is a STRING, not an integer");
    assertThatThrownBy(() -> TypedParameters.builder().set(MemoryParameter.HARD_LIMIT, "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TypedParameters.builder().set(BlkioParameter.WEIGHT, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UINT");
    assertThatThrownBy(() -> TypedParameters.builder().set(NumaParameter.MODE, 1L << 31))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT");
    assertThatThrownBy(() -> TypedParameters.builder().set(BlkioParameter.WEIGHT, 1)
        .set(BlkioParameter.WEIGHT, 2)).hasMessageContaining("twice");
    assertThatThrownBy(() -> new TypedParameter("x".repeat(80), TypedParameter.Type.INT, 1L))
        .hasMessageContaining("79 bytes");
  }

  @Test
  void unsignedValuesReadAsUnsigned() {
    TypedParameter big = new TypedParameter("x", TypedParameter.Type.ULLONG, -1L);
    assertThat(big.text()).isEqualTo("18446744073709551615");
    assertThat(big.asLong()).isEqualTo(-1L);
    assertThat(new TypedParameter("x", TypedParameter.Type.UINT, 0xFFFF_FFFFL).text())
        .isEqualTo("4294967295");
    assertThatThrownBy(() -> new TypedParameter("x", TypedParameter.Type.STRING, "s").asLong())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyTypeSurvivesTheNativeArray() {
    TypedParameters in = TypedParameters.of(List.of(
        new TypedParameter("i", TypedParameter.Type.INT, -7L),
        new TypedParameter("u", TypedParameter.Type.UINT, 0xFFFF_FFFEL),
        new TypedParameter("l", TypedParameter.Type.LLONG, Long.MIN_VALUE),
        new TypedParameter("ul", TypedParameter.Type.ULLONG, -2L),
        new TypedParameter("d", TypedParameter.Type.DOUBLE, 2.5),
        new TypedParameter("b", TypedParameter.Type.BOOLEAN, true),
        new TypedParameter("s", TypedParameter.Type.STRING, "/dev/vda,100 ünïcode")));
    TypedParams.Written w = TypedParams.write(in);
    assertThat(TypedParams.readTyped(w.array(), w.count())).isEqualTo(in);
    assertThat(TypedParams.read(w.array(), w.count())).containsEntry("ul", "18446744073709551614")
        .containsEntry("u", "4294967294").containsEntry("b", "true")
        .containsEntry("s", "/dev/vda,100 ünïcode");
    assertThat(in.asText()).containsEntry("i", "-7");
  }
}
