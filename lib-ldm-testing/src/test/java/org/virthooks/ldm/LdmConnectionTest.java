package org.virthooks.ldm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/** The XMPP/TLS client against the simulator: handshake, trust, SASL, requests, registrations. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LdmConnectionTest {
  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
  private final List<LdmEvent> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    toClose.add(0, c);
    return c;
  }

  @Test
  void localModeHandshakeNegotiatesTls12OrLaterAndAnswersAtThreeLevels() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    LdmConnection c = closing(LdmConnection.open(sim.clientConfig().build(), received::add));
    assertThat(c.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
    LdmInterface r = c.request(LdmInterface.request("list-domain"));
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.getResponse().isSuccess()).isTrue();
    assertThat(r.getCommands().get(0).getAction()).isEqualTo("list-domain");
    assertThat(r.getCommands().get(0).getResponse().isSuccess()).isTrue();
    assertThat(r.getCommands().get(0).getData().get(0).getResponse().isSuccess()).isTrue();
  }

  @Test
  void registrationDeliversOnlyThatCategory() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    LdmConnection c = closing(LdmConnection.open(sim.clientConfig().build(), received::add));
    assertThat(sim.publish(SeedEvents.event("start-domain", "ldg1"))).isZero();
    c.register(EnumSet.of(LdmEventCategory.DOMAIN));
    assertThat(sim.registered(LdmEventCategory.DOMAIN)).isEqualTo(1);
    assertThat(sim.publish(SeedEvents.event("add-vcpu", "ldg1"))).isZero();
    assertThat(sim.publish(SeedEvents.event("add-spconfig", "x"))).isZero();
    assertThat(sim.publish(SeedEvents.event("start-domain", "ldg1"))).isEqualTo(1);
    awaitReceived(1);
    assertThat(received.get(0).firstAction()).isEqualTo("start-domain");
    c.unregister(EnumSet.of(LdmEventCategory.DOMAIN));
    assertThat(sim.publish(SeedEvents.event("stop-domain", "ldg1"))).isZero();
  }

  @Test
  void progressComesWithHardwareRegistration() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    LdmConnection c = closing(LdmConnection.open(sim.clientConfig().build(), received::add));
    c.register(EnumSet.of(LdmEventCategory.HARDWARE));
    assertThat(sim.publish(SeedEvents.migration("ldg1", "10%", "ongoing", "a"))).isEqualTo(1);
    assertThat(sim.publish(SeedEvents.spconfig("set-spconfig", "c", "next"))).isEqualTo(1);
    awaitReceived(2);
  }

  @Test
  void registrationFailureSurfacesRespMsg() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    sim.refuseRegistrations("User 'ops' is not authorized to perform this operation");
    LdmConnection c = closing(LdmConnection.open(sim.clientConfig().build(), received::add));
    assertThatThrownBy(() -> c.register(EnumSet.of(LdmEventCategory.ALL)))
        .isInstanceOfSatisfying(LdmRequestException.class, e -> {
          assertThat(e.action()).isEqualTo("reg-all-events");
          assertThat(e.messages()).containsExactly("User 'ops' is not authorized to perform this operation");
          assertThat(e.getMessage()).contains("not authorized");
          assertThat(e.response().getCommands().get(0).getResponse().isFailure()).isTrue();
        });
  }

  @Test
  void saslPlainWithPasswordFile(@TempDir Path dir) throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.builder().user("ops", "s3cret é".toCharArray()).start());
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "s3cret é\n", StandardCharsets.UTF_8);
    LdmConnection c = closing(LdmConnection.open(
        sim.clientConfig().credentials("ops", pw).build(), received::add));
    c.register(EnumSet.of(LdmEventCategory.ALL));
    assertThat(sim.registered(LdmEventCategory.ALL)).isEqualTo(1);
  }

  @Test
  void wrongPasswordAndMissingCredentialsAreRefused() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.builder().user("ops", "right".toCharArray()).start());
    assertThatThrownBy(() -> LdmConnection.open(
        sim.clientConfig().credentials("ops", "wrong".toCharArray()).build(), received::add))
        .hasMessageContaining("refused the login of 'ops'").hasMessageContaining("not-authorized");
    // local mode against a server that requires a login: the first request gets no answer
    assertThatThrownBy(() -> {
      try (LdmConnection c = LdmConnection.open(sim.clientConfig()
          .requestTimeout(Duration.ofMillis(500)).build(), received::add)) {
        c.request(LdmInterface.request("list-domain"));
      }
    }).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void trustIsCheckedUnlessInsecureIsAskedFor() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    String wrongPin = "00".repeat(32);
    assertThatThrownBy(() -> LdmConnection.open(
        sim.clientConfig().trust(LdmTrust.pinnedSha256(wrongPin)).build(), received::add))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    assertThatThrownBy(() -> LdmConnection.open(
        sim.clientConfig().trust(LdmTrust.jvmDefault()).build(), received::add))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    closing(LdmConnection.open(sim.clientConfig().trust(LdmTrust.trustStore(sim.trustStore())).build(),
        received::add));
    closing(LdmConnection.open(sim.clientConfig().trust(LdmTrust.insecureTrustAnyCertificate()).build(),
        received::add));
    String colons = sim.certificateSha256().toUpperCase().replaceAll("(..)(?!$)", "$1:");
    closing(LdmConnection.open(sim.clientConfig().trust(LdmTrust.pinnedSha256(colons)).build(),
        received::add));
    assertThatThrownBy(() -> LdmTrust.pinnedSha256("abc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeEndsTheReaderThreadAndFailsLaterRequests() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    LdmConnection c = LdmConnection.open(sim.clientConfig().build(), received::add);
    c.close();
    assertThat(c.isOpen()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
        t -> t.getName().startsWith("ldm-reader-") && t.isAlive());
    assertThatThrownBy(() -> c.request(LdmInterface.request("list-domain")))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("closed");
  }

  @Test
  void serverDropFailsPendingAndReportsClosed() throws Exception {
    LdmdSimulator sim = closing(LdmdSimulator.start());
    LdmConnection c = closing(LdmConnection.open(sim.clientConfig().build(), received::add));
    c.register(EnumSet.of(LdmEventCategory.ALL));
    sim.dropConnections();
    assertThat(c.closedFuture().get(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(c.isOpen()).isFalse();
  }

  private void awaitReceived(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (received.size() < n && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(received).hasSizeGreaterThanOrEqualTo(n);
  }
}
