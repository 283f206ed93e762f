package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;

/** {@code virthooks ldm decode | listen | simulate}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LdmCommandTest {
  @Test
  void decodePrintsOneJsonLinePerEventAndReportsMalformedDocuments(@TempDir Path dir) throws Exception {
    LdmXml xml = LdmXml.defaults();
    String doc = "<?xml version='1.0'?>\n" + xml.write(SeedEvents.event("start-domain", "ldg1")) + "\n"
        + "<LDM_event version='1.0'>\n<cmd><action>x</action></cmd>\n</LDM_evnt>\n"
        + xml.write(SeedEvents.migration("ldg2", "45%", "ongoing", "host-a")) + "\n";
    Path f = dir.resolve("events.xml");
    Files.writeString(f, doc, StandardCharsets.UTF_8);
    CliTest.Run r = CliTest.run("ldm", "decode", f.toString());
    assertThat(r.status()).isEqualTo(2);
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper m = new ObjectMapper();
    JsonNode first = m.readTree(lines[0]);
    assertThat(first.get("category").asText()).isEqualTo("domain");
    assertThat(first.get("kind").asText()).isEqualTo("started");
    assertThat(first.get("domain").get("name").asText()).isEqualTo("ldg1");
    JsonNode second = m.readTree(lines[1]);
    assertThat(second.get("category").asText()).isEqualTo("progress");
    assertThat(second.get("percent").asInt()).isEqualTo(45);
    assertThat(second.get("reporter").asText()).isEqualTo("host-a");
    assertThat(r.err()).contains("events.xml:5:");
  }

  @Test
  void decodeOfAWellFormedFileExitsZero(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ok.xml");
    Files.writeString(f, LdmXml.defaults().write(SeedEvents.event("add-vdisk", "ldg1")));
    CliTest.Run r = CliTest.run("ldm", "decode", f.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("\"resource\":\"vdisk\"");
  }

  @Test
  void listenPrintsEventsFromTheSimulator() throws Exception {
    try (LdmdSimulator sim = LdmdSimulator.start()) {
      Thread publisher = new Thread(() -> {
        try {
          if (sim.awaitRegisteredClients(1, java.time.Duration.ofSeconds(10))) {
            sim.publish(SeedEvents.event("bind-domain", "ldg7"));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      publisher.start();
      CliTest.Run r = CliTest.run("ldm", "listen", "--host", sim.host(), "--port",
          String.valueOf(sim.port()), "--pin", sim.certificateSha256(), "--events", "domain", "--for", "2");
      publisher.join(10_000);
      assertThat(r.status()).isZero();
      assertThat(r.out()).contains("\"kind\":\"bound\"").contains("ldg7");
    }
  }

  @Test
  void listenRejectsPinTogetherWithInsecure() {
    CliTest.Run r = CliTest.run("ldm", "listen", "--host", "h", "--pin", "00", "--insecure");
    assertThat(r.status()).isEqualTo(2);
  }

  @Test
  void simulateStartsAndStops() {
    CliTest.Run r = CliTest.run("ldm", "simulate", "--port", "0", "--for", "1", "--interval", "50");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("ldmd simulator on 127.0.0.1:").contains("certificate SHA-256");
  }
}
