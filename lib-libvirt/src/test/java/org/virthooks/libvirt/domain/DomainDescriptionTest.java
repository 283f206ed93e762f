package org.virthooks.libvirt.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Identity and description: hostname, OS type, XML and its dump flags, metadata, flags. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainDescriptionTest {
  static final String NS = "http://virthooks.org/test/1";
  LibvirtDomains domains;
  LibvirtDomain builtin;
  LibvirtDomain guest;

  @BeforeAll
  void open() {
    domains = LibvirtDomains.open(TestDriver.URI);
    builtin = domains.byName(TestDriver.BUILTIN);
    guest = domains.define(TestDriver.guest("vh-describe"));
  }

  @AfterAll
  void close() {
    guest.undefine();
    domains.close();
  }

  @Test
  void hostnameAndOsTypeAreTheDrivers() {
    assertThat(builtin.hostname()).isEqualTo("testhost");
    assertThat(builtin.osType()).isEqualTo("linux");
    assertThat(guest.osType()).isEqualTo("linux"); // the test driver's, whatever the XML says
    assertThat(builtin.maxVcpus()).isPositive();
  }

  @Test
  void xmlFollowsTheDumpFlags() {
    guest.start();
    try {
      assertThat(guest.xml()).contains("<name>vh-describe</name>").contains("id='");
      guest.setVcpus(1, Set.of(ModificationImpact.CONFIG));
      assertThat(guest.isUpdated()).isFalse(); // the test driver never says so; see the real test
      assertThat(guest.xml(Set.of(XmlFlag.INACTIVE))).doesNotContain("id='")
          .contains("current='1'");
      assertThat(guest.xml()).doesNotContain("current='1'");
    } finally {
      guest.destroy();
      guest.setVcpus(2, Set.of(ModificationImpact.CONFIG));
    }
  }

  @Test
  void titleDescriptionAndElementsAreSetReadAndRemoved() {
    Set<ModificationImpact> config = Set.of(ModificationImpact.CONFIG);
    assertThat(guest.metadata(MetadataType.TITLE, null, config)).isEmpty();
    guest.setMetadata(MetadataType.TITLE, "the title", null, null, config);
    guest.setMetadata(MetadataType.DESCRIPTION, "a longer description", null, null, config);
    guest.setMetadata(MetadataType.ELEMENT, "<owner>ops</owner>", "vh", NS, config);
    assertThat(guest.metadata(MetadataType.TITLE, null, config)).hasValue("the title");
    assertThat(guest.metadata(MetadataType.DESCRIPTION, null, Set.of()))
        .hasValue("a longer description");
    assertThat(guest.metadata(MetadataType.ELEMENT, NS, config)).hasValueSatisfying(
        x -> assertThat(x).contains("<owner").contains("ops</owner>"));
    assertThat(guest.metadata(MetadataType.ELEMENT, "http://virthooks.org/other", config))
        .isEmpty();
    guest.setMetadata(MetadataType.ELEMENT, null, "vh", NS, config);
    assertThat(guest.metadata(MetadataType.ELEMENT, NS, config)).isEmpty();
  }

  @Test
  void metadataArgumentsAreCheckedBeforeLibvirt() {
    assertThatThrownBy(() -> guest.metadata(MetadataType.ELEMENT, null, Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace URI");
    assertThatThrownBy(() -> guest.metadata(MetadataType.TITLE, NS, Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no URI");
    assertThatThrownBy(() -> guest.setMetadata(MetadataType.ELEMENT, "<a/>", null, NS,
        Set.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
  }

  @Test
  void activePersistentAndAutostart() {
    assertThat(builtin.isActive()).isTrue();
    assertThat(builtin.isPersistent()).isTrue();
    assertThat(guest.isActive()).isFalse();
    assertThat(guest.autostart()).isFalse();
    guest.setAutostart(true);
    assertThat(guest.autostart()).isTrue();
    guest.setAutostart(false);
    assertThat(guest.autostart()).isFalse();
  }

  @Test
  void securityLabelIsTheDriversLabel() {
    SecurityLabel l = builtin.securityLabel();
    assertThat(l.label()).isEqualTo("libvirt-test");
    assertThat(l.enforcing()).isTrue();
  }
}
