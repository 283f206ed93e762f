package org.virthooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = VirthooksCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("version").contains("demo");
  }

  @Test
  void versionPrintsLibraryAndJava() {
    Run r = run("version");
    assertThat(r.status()).isZero();
    assertThat(r.out()).startsWith("virthooks ").contains("Java 17");
  }

  @Test
  void anUnknownSubcommandIsAUsageError() {
    Run r = run("frobnicate");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("frobnicate");
  }

  @Test
  void theDemoShowsEveryCategoryAndARefusal() {
    Run r = run("demo", "--no-colour");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("refused the start").contains("big-db")
        .contains("summary:").contains("DOMAIN=").contains("PROGRESS=").contains("OTHER=2")
        .contains("ldm:127.0.0.1:").contains("start-domain").contains("connection-restored")
        .contains("xen:demo").contains("→ connected").contains("→ error: policy")
        .contains("libvirt:test:///default").contains("LIFECYCLE/STOPPED/DESTROYED");
  }

  @Test
  void theFleetDemoReadsBackEveryEventItSent() {
    Run r = run("demo", "--no-colour", "--fleet");
    assertThat(r.status()).as(r.err()).isZero();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "fleet: (\\d+) events spooled and sent, (\\d+) acknowledged by the broker at \\S+, (\\d+) "
            + "read back").matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    long sent = Long.parseLong(m.group(1));
    assertThat(sent).isGreaterThan(20);
    assertThat(Long.parseLong(m.group(2))).isEqualTo(sent);
    assertThat(Long.parseLong(m.group(3))).isGreaterThanOrEqualTo(sent);
    assertThat(r.out()).contains("\"ce_specversion\":\"1.0\"")
        .contains("org.virthooks.domain.");
  }

  @Test
  void theDemoPrintsValidJsonLinesWithJson() throws Exception {
    Run r = run("demo", "--json");
    assertThat(r.status()).isZero();
    ObjectMapper m = new ObjectMapper();
    List<String> categories = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      JsonNode n = m.readTree(line);
      categories.add(n.get("category").asText());
      assertThat(n.get("seq").asLong()).isPositive();
    }
    assertThat(categories).contains("domain", "resource", "hardware", "progress", "source", "other");
  }
}
