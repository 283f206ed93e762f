package org.virthooks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainRefTest {
  private static final UUID U = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");

  @Test
  void uuidIsAcceptedIn36And32HexCharactersAndAs16Bytes() {
    assertThat(DomainRef.parseUuid("4dea22b3-1d52-d8f3-2516-782e98ab3fa0")).isEqualTo(U);
    assertThat(DomainRef.parseUuid("4DEA22B31D52D8F32516782E98AB3FA0")).isEqualTo(U);
    byte[] raw = {0x4d, (byte) 0xea, 0x22, (byte) 0xb3, 0x1d, 0x52, (byte) 0xd8, (byte) 0xf3,
        0x25, 0x16, 0x78, 0x2e, (byte) 0x98, (byte) 0xab, 0x3f, (byte) 0xa0};
    assertThat(DomainRef.uuidFromBytes(raw)).isEqualTo(U);
    assertThat(DomainRef.of("web1").withUuid(raw).uuid()).contains(U);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "4dea22b3", "4dea22b3-1d52-d8f3-2516-782e98ab3fa", "4dea22b3x1d52-d8f3-2516-782e98ab3fa0",
      "4dea22b3-1d52-d8f3-2516-782e98ab3fg0", "4dea22b31d52d8f32516782e98ab3fa0ff", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
  void anyOtherUuidIsAnErrorQuotingTheValue(String bad) {
    assertThatThrownBy(() -> DomainRef.of("x").withUuid(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + bad + "'")
        .hasMessageContaining("16 bytes, or 32 or 36 hex characters");
  }

  @Test
  void wrongByteCountsAreErrorsNamingTheLength() {
    assertThatThrownBy(() -> DomainRef.uuidFromBytes(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 bytes");
    assertThatThrownBy(() -> DomainRef.uuidFromBytes(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
  }

  @Test
  void namesMustNotBeNullOrBlankAndIdsNotNegative() {
    assertThatThrownBy(() -> DomainRef.of(null)).hasMessageContaining("domain name");
    assertThatThrownBy(() -> DomainRef.of("  ")).hasMessageContaining("domain name")
        .hasMessageContaining("'  '");
    assertThatThrownBy(() -> DomainRef.of("a").withId(-1)).hasMessageContaining("domain id")
        .hasMessageContaining("-1");
  }

  @Test
  void toStringShowsWhatIsKnown() {
    assertThat(DomainRef.of("web1")).hasToString("web1");
    assertThat(DomainRef.of("web1").withId(3).withUuid(U))
        .hasToString("web1 #3 4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    assertThat(new DomainRef("x", null, null).id()).isEqualTo(OptionalInt.empty());
  }
}
