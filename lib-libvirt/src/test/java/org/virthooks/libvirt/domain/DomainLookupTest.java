package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.libvirt.Connect;
import org.virthooks.core.DomainRef;
import org.virthooks.core.DomainStateReason;

/** Sys::Virt::Domain's constructor: lookup by name, id and UUID in its forms, define and create. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainLookupTest {
  static final String UUID_TEXT = "5a1e0b7e-0000-4000-8000-00000000d001";
  LibvirtDomains domains;

  @BeforeAll
  void open() {
    domains = LibvirtDomains.open(TestDriver.URI);
    try (LibvirtDomain d = domains.define(TestDriver.guest("vh-lookup", UUID_TEXT))) {
      assertThat(d.name()).isEqualTo("vh-lookup");
    }
  }

  @AfterAll
  void close() {
    domains.find("vh-lookup").ifPresent(d -> {
      try (d) {
        d.undefine();
      }
    });
    domains.close();
  }

  @Test
  void byNameIdAndUuidFindTheSameGuest() {
    try (LibvirtDomain byName = domains.byName(TestDriver.BUILTIN)) {
      int id = byName.id().orElseThrow();
      UUID uuid = byName.uuid();
      try (LibvirtDomain byId = domains.byId(id);
           LibvirtDomain byUuid = domains.byUuid(uuid);
           LibvirtDomain byBytes = domains.byUuid(byName.uuidBytes());
           LibvirtDomain by36 = domains.byUuid(uuid.toString().toUpperCase());
           LibvirtDomain by32 = domains.byUuid(uuid.toString().replace("-", ""))) {
        for (LibvirtDomain d : List.of(byId, byUuid, byBytes, by36, by32)) {
          assertThat(d.ref()).isEqualTo(byName.ref());
        }
      }
      assertThat(byName.ref().id()).hasValue(id);
    }
  }

  @Test
  void rawUuidBytesAreTheUuidMostSignificantFirst() {
    try (LibvirtDomain d = domains.byName("vh-lookup")) {
      assertThat(HexFormat.of().formatHex(d.uuidBytes()))
          .isEqualTo(UUID_TEXT.replace("-", ""));
      assertThat(d.uuidString()).isEqualTo(UUID_TEXT);
      assertThat(d.uuid()).isEqualTo(UUID.fromString(UUID_TEXT));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5a1e0b7e", "5a1e0b7e00004000800000000000d00", // 31
      "5a1e0b7e00004000800000000000d0011", // 33
      "5a1e0b7e-0000-4000-8000-00000000d00", // 35
      "5a1e0b7e-0000-4000-8000-00000000d0011", // 37
      "5a1e0b7e-0000-4000-8000_00000000d001", // 36, a misplaced separator
      "5a1e0b7g00004000800000000000d001"}) // 32, not hex
  void anyOtherUuidStringIsTheSeedsError(String bad) {
    assertThatThrownBy(() -> domains.byUuid(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("UUID must be 16 bytes, or 32 or 36 hex characters");
    assertThat(domains.openDomains()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 15, 17, 32})
  void rawUuidsOfOtherLengthsAreTheSeedsError(int length) {
    assertThatThrownBy(() -> domains.byUuid(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("UUID must be 16 bytes, or 32 or 36 hex characters")
        .hasMessageContaining(length + " bytes");
  }

  @Test
  void aMissingGuestIsNoDomainWithLibvirtsCodeAndDomain() {
    assertThatThrownBy(() -> domains.byName("vh-nobody"))
        .isInstanceOfSatisfying(LibvirtDomainException.class, e -> {
          assertThat(e.code()).isEqualTo(42);
          assertThat(e.codeName()).isEqualTo("VIR_ERR_NO_DOMAIN");
          assertThat(e.isNoDomain()).isTrue();
          assertThat(e.errorDomainName()).isEqualTo("VIR_FROM_TEST");
          assertThat(e.errorDomain()).isEqualTo(12); // VIR_FROM_TEST
          assertThat(e.operation()).isEqualTo("virDomainLookupByName(vh-nobody)");
          assertThat(e.libvirtMessage()).containsIgnoringCase("not found");
        });
    assertThatThrownBy(() -> domains.byId(4242)).isInstanceOfSatisfying(
        LibvirtDomainException.class, e -> assertThat(e.isNoDomain()).isTrue());
    assertThatThrownBy(() -> domains.byUuid(UUID.randomUUID())).isInstanceOfSatisfying(
        LibvirtDomainException.class, e -> assertThat(e.isNoDomain()).isTrue());
    assertThat(domains.find("vh-nobody")).isEmpty();
  }

  @Test
  void defineIsNocreateAndCreateStartsATransientGuest() {
    try (LibvirtDomain defined = domains.define(TestDriver.guest("vh-defined"))) {
      assertThat(defined.isActive()).isFalse();
      assertThat(defined.isPersistent()).isTrue();
      assertThat(defined.id()).isEmpty();
      assertThat(defined.state().reason()).hasValue(DomainStateReason.SHUTOFF_UNKNOWN);
      defined.undefine();
    }
    try (LibvirtDomain created = domains.create(TestDriver.guest("vh-created"), Set.of())) {
      assertThat(created.isActive()).isTrue();
      assertThat(created.isPersistent()).isFalse();
      assertThat(created.id()).isPresent();
      assertThat(created.state().reason()).hasValue(DomainStateReason.RUNNING_BOOTED);
      created.destroy();
      assertThat(domains.find("vh-created")).isEmpty(); // a transient guest is gone
    }
    // the test driver refuses START_PAUSED (RealLibvirtdDomainApiTest creates a paused guest)
    assertThatThrownBy(() -> domains.create(TestDriver.guest("vh-created-paused"),
        Set.of(StartFlag.PAUSED))).isInstanceOfSatisfying(LibvirtDomainException.class,
            e -> assertThat(e.libvirtMessage()).contains("unsupported flags (0x1)"));
    assertThat(domains.openDomains()).isZero();
  }

  @Test
  void badXmlIsLibvirtsErrorNotAJavaOne() {
    assertThatThrownBy(() -> domains.define("<domain type='test'><name>x"))
        .isInstanceOfSatisfying(LibvirtDomainException.class, e -> {
          assertThat(e.code()).isEqualTo(35);
          assertThat(e.codeName()).isEqualTo("VIR_ERR_XML_DETAIL");
          assertThat(e.operation()).isEqualTo("virDomainDefineXMLFlags");
        });
  }

  @Test
  void listNamesEveryGuestRunningOrNot() {
    List<DomainRef> all = domains.list();
    assertThat(all).extracting(DomainRef::name).contains(TestDriver.BUILTIN, "vh-lookup");
    DomainRef lookup = all.stream().filter(r -> r.name().equals("vh-lookup")).findFirst()
        .orElseThrow();
    assertThat(lookup.uuid()).hasValue(UUID.fromString(UUID_TEXT));
    assertThat(lookup.id()).isEmpty();
    assertThat(all.stream().filter(r -> r.name().equals(TestDriver.BUILTIN)).findFirst()
        .orElseThrow().id()).isPresent();
  }

  @Test
  void closeFreesHandlesAndLaterCallsFailClearly() {
    LibvirtDomain d = domains.byName(TestDriver.BUILTIN);
    assertThat(domains.openDomains()).isEqualTo(1);
    d.close();
    d.close(); // idempotent
    assertThat(domains.openDomains()).isZero();
    assertThatThrownBy(d::name).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(d).hasToString("LibvirtDomain[test, closed]");
  }

  @Test
  void closingTheDomainsFreesWhatWasLeftOpenAndAWrappedConnectionStaysOpen() throws Exception {
    Connect conn = new Connect(TestDriver.URI);
    try {
      LibvirtDomains wrapped = LibvirtDomains.wrap(conn);
      LibvirtDomain left = wrapped.byName(TestDriver.BUILTIN);
      wrapped.close();
      assertThat(wrapped.openDomains()).isZero();
      assertThatThrownBy(left::name).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> wrapped.byName(TestDriver.BUILTIN))
          .isInstanceOf(IllegalStateException.class);
      assertThat(conn.isConnected()).isTrue();
      assertThat(conn.domainLookupByName(TestDriver.BUILTIN).getName())
          .isEqualTo(TestDriver.BUILTIN);
    } finally {
      conn.close();
    }
  }

  @Test
  void aConnectionLibvirtRefusesIsOurException() {
    assertThatThrownBy(() -> LibvirtDomains.open("test:///nonexistent/file.xml"))
        .isInstanceOfSatisfying(LibvirtDomainException.class, e -> {
          assertThat(e.operation()).isEqualTo("virConnectOpen(test:///nonexistent/file.xml)");
          assertThat(e.code()).isPositive();
          assertThat(e.getCause()).isInstanceOf(org.libvirt.LibvirtException.class);
        });
  }
}
