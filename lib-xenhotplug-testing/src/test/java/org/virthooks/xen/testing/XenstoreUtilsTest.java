package org.virthooks.xen.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.xen.XenstoreClient;

/**
 * Debian's xenstore-utils (libxenstore, C) against the in-memory server through
 * {@code XENSTORED_PATH}: the server is faithful enough for the reference clients.
 */
@Timeout(60)
class XenstoreUtilsTest {
  @TempDir Path dir;
  XenstoreServer server;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    server = XenstoreServer.start(dir.resolve("xenstored.sock"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Process spawn(String... cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("XENSTORED_PATH", server.socket().toString());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return pb.start();
  }

  private Run run(String... cmd) throws Exception {
    Process p = spawn(cmd);
    try {
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("%s finished", List.of(cmd)).isTrue();
      return new Run(p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void writeReadAndRemoveWithTheReferenceClients() throws Exception {
    assertThat(run("xenstore-write", "/vm/web1/name", "web1").exit()).isZero();
    assertThat(server.read("/vm/web1/name")).contains("web1");

    Run read = run("xenstore-read", "/vm/web1/name");
    assertThat(read.exit()).isZero();
    assertThat(read.out()).isEqualTo("web1\n");

    Run missing = run("xenstore-read", "/vm/none");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("couldn't read path /vm/none");

    assertThat(run("xenstore-rm", "/vm/web1").exit()).isZero();
    assertThat(server.read("/vm/web1/name")).isEmpty();
    assertThat(server.read("/vm")).contains("");
  }

  @Test
  void multiKeyWriteAndReadUseOneTransaction() throws Exception {
    long commits = server.commitCount();
    Run w = run("xenstore-write", "backend/vbd/1/768/hotplug-error", "no such disk",
        "backend/vbd/1/768/hotplug-status", "error");
    assertThat(w.exit()).as(w.err()).isZero();
    assertThat(server.commitCount()).isEqualTo(commits + 1);
    // relative paths resolved against the home domain, as libxl's XENBUS_PATH relies on
    assertThat(server.read("/local/domain/0/backend/vbd/1/768/hotplug-status")).contains("error");

    Run r = run("xenstore-read", "backend/vbd/1/768/hotplug-status",
        "/local/domain/0/backend/vbd/1/768/hotplug-error");
    assertThat(r.out()).isEqualTo("error\nno such disk\n");
  }

  @Test
  void lsShowsTheTreeWithValuesAndPermissions() throws Exception {
    try (XenstoreClient c = XenstoreClient.connect(server.socket())) {
      c.write("/ls/a", "1");
      c.write("/ls/a/inner", "deep");
      c.write("/ls/b", "two words");
      c.setPermissions("/ls/b", List.of(org.virthooks.xen.XsPermission.parse("n0"),
          org.virthooks.xen.XsPermission.parse("r3")));
    }
    Run ls = run("xenstore-ls", "/ls");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(ls.out()).isEqualTo("a = \"1\"\n inner = \"deep\"\nb = \"two words\"\n");
    Run perms = run("xenstore-ls", "-p", "/ls");
    assertThat(perms.out()).contains("(n0)").contains("(n0,r3)");
    Run list = run("xenstore-list", "/ls");
    assertThat(list.out()).isEqualTo("a\nb\n");
  }

  @Test
  void watchSeesTheFirstEventAndLaterChanges() throws Exception {
    Process watch = spawn("xenstore-watch", "-n", "3", "/watched");
    try {
      List<String> lines = new ArrayList<>();
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(),
          StandardCharsets.UTF_8));
      var reader = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        lines.add(reader.submit(out::readLine).get(10, TimeUnit.SECONDS)); // the immediate event
        assertThat(run("xenstore-write", "/watched/x", "1").exit()).isZero();
        lines.add(reader.submit(out::readLine).get(10, TimeUnit.SECONDS));
        assertThat(run("xenstore-rm", "/watched").exit()).isZero();
        lines.add(reader.submit(out::readLine).get(10, TimeUnit.SECONDS));
      } finally {
        reader.shutdownNow();
      }
      assertThat(lines).containsExactly("/watched", "/watched/x", "/watched");
      assertThat(watch.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(watch.exitValue()).isZero();
    } finally {
      watch.destroyForcibly();
    }
  }
}
