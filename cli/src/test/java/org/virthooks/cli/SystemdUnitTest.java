package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged systemd unit is one systemd accepts, hardened, and gives SIGTERM's drain room. */
class SystemdUnitTest {
  private static final Path UNIT = Path.of("../packaging/virthooks-agent.service");

  @TempDir Path dir;

  @Test
  void systemdAcceptsTheUnit() throws Exception {
    // verify checks that ExecStart's program exists: point it at one that does
    Path copy = dir.resolve("virthooks-agent.service");
    Files.writeString(copy, Files.readString(UNIT).replace("/usr/local/bin/virthooks", "/bin/true"));
    Process p = new ProcessBuilder("systemd-analyze", "verify", copy.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as("warnings").isBlank();
  }

  @Test
  void theUnitIsHardenedAndWaitsLongerThanTheDrain() throws Exception {
    String unit = Files.readString(UNIT);
    assertThat(unit).contains("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
        "PrivateTmp=yes", "CapabilityBoundingSet=\n", "RestartPreventExitStatus=2",
        "StateDirectory=virthooks", "--config /etc/virthooks/agent.properties");
    int stop = Integer.parseInt(unit.replaceAll("(?s).*TimeoutStopSec=(\\d+).*", "$1"));
    long grace = AgentConfig.of(new java.util.Properties(), java.util.Map.of(
        "libvirt.uris", "test:///default", "output.jsonl", "stdout")).shutdownGrace().toSeconds();
    assertThat(stop).isGreaterThan((int) grace + 5);
  }
}
