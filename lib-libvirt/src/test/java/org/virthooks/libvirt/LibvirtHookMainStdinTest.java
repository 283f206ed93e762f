package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.hook.DocumentLimit;

/**
 * The fresh-JVM entry point as libvirt runs it, in a child JVM with a small heap and the
 * installed launcher's options: a document over the size limit, one just under it, and a
 * standard input left open.
 */
class LibvirtHookMainStdinTest {
  private static final String UUID = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";
  private static final String HEAD = "<domain type='kvm'>\n  <name>vm1</name>\n  <uuid>" + UUID
      + "</uuid>\n  <description>";
  private static final String TAIL = "</description>\n  <devices/>\n</domain>\n";

  @TempDir Path dir;

  record Ended(int code, String err, Duration took, Throwable writeError) {}

  private Process start(String heap, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", LibvirtHookMain.class.getName()));
    cmd.addAll(Arrays.asList(args));
    return new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).start();
  }

  /** Writes a domain XML of exactly {@code bytes} bytes (a long description) and closes stdin. */
  private static CompletableFuture<Void> writeDomain(Process p, long bytes) {
    return CompletableFuture.runAsync(() -> {
      try (OutputStream in = p.getOutputStream()) {
        byte[] head = HEAD.getBytes(StandardCharsets.UTF_8);
        byte[] tail = TAIL.getBytes(StandardCharsets.UTF_8);
        in.write(head);
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'x');
        for (long left = bytes - head.length - tail.length; left > 0; left -= block.length) {
          in.write(block, 0, (int) Math.min(left, block.length));
        }
        in.write(tail);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private Ended await(Process p, long t0, Duration bound, CompletableFuture<Void> writer)
      throws Exception {
    try {
      assertThat(p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS))
          .as("the call ended within %s; stderr: %s", bound, Files.readString(dir.resolve("err")))
          .isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      Throwable writeError = null;
      if (writer != null) {
        try {
          writer.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          writeError = e.getCause();
        }
      }
      return new Ended(p.exitValue(), Files.readString(dir.resolve("err")), took, writeError);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void fiftyMibAtPrepareIsRefusedWithTheLimitNotAnOutOfMemoryError() throws Exception {
    long t0 = System.nanoTime();
    Process p = start("96m", "--deadline", "30", "--",
        "/etc/libvirt/hooks/qemu", "vm1", "prepare", "begin", "-");
    CompletableFuture<Void> writer = writeDomain(p, 50L << 20);
    Ended e = await(p, t0, Duration.ofSeconds(60), writer);
    assertThat(e.err()).doesNotContain("OutOfMemoryError").doesNotContain("Exception")
        .isEqualTo("virthooks: " + DocumentLimit.overLimit(50L << 20) + "; refusing\n");
    assertThat(e.code()).isEqualTo(1);
    // all of it was read: libvirtd, the writer, gets the answer rather than a broken pipe
    assertThat(e.writeError()).isNull();
  }

  @Test
  void aDocumentJustUnderTheLimitAtABeforePointIsAnsweredByTheHooks() throws Exception {
    Path json = dir.resolve("events.json");
    Path script = dir.resolve("events");
    Files.writeString(script, "#!/bin/sh\ncat > " + json + "\n"
        + "echo \"$2 is too big for this host\" >&2\nexit 1\n");
    script.toFile().setExecutable(true);
    long size = DocumentLimit.MAX_BYTES - 1024;
    long t0 = System.nanoTime();
    Process p = start("128m", "--deadline", "30", "--events-script", script.toString(),
        "--events-timeout", "30", "--", "/etc/libvirt/hooks/qemu", "vm1", "prepare", "begin", "-");
    CompletableFuture<Void> writer = writeDomain(p, size);
    Ended e = await(p, t0, Duration.ofSeconds(90), writer);
    assertThat(e.err()).doesNotContain("OutOfMemoryError")
        .isEqualTo("events script events: vm1 is too big for this host\n");
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.writeError()).isNull();
    // the script got the whole document in its JSON, and the XML was read: the domain has its UUID
    assertThat(Files.size(json)).isGreaterThan(size);
    byte[] head = new byte[400];
    int n;
    try (InputStream in = Files.newInputStream(json)) {
      n = in.readNBytes(head, 0, head.length);
    }
    assertThat(new String(head, 0, n, StandardCharsets.UTF_8))
        .contains("\"domain\":{\"name\":\"vm1\",\"uuid\":\"" + UUID + "\"}");
  }

  private Ended leftOpen(String operation, String subOperation) throws Exception {
    long t0 = System.nanoTime();
    Process p = start("64m", "--deadline", "2", "--",
        "/etc/libvirt/hooks/qemu", "vm1", operation, subOperation, "-");
    OutputStream in = p.getOutputStream();
    try {
      in.write("<domain>".getBytes(StandardCharsets.UTF_8));
      in.flush();
      // and nothing more, never closed until the call has ended
      return await(p, t0, Duration.ofSeconds(20), null);
    } finally {
      in.close();
    }
  }

  @Test
  void aStdinLeftOpenIsRefusedAtABeforePointWhenTheDeadlinePasses() throws Exception {
    Ended e = leftOpen("prepare", "begin");
    assertThat(e.err()).isEqualTo("virthooks: standard input did not reach its end within 2 s "
        + "(8 bytes read); refusing\n");
    assertThat(e.code()).isEqualTo(1);
    assertThat(e.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(2 + 10));
  }

  @Test
  void aStdinLeftOpenGoesOnWithAWarningAtAnAfterPoint() throws Exception {
    Ended e = leftOpen("stopped", "end");
    assertThat(e.err()).isEqualTo("virthooks: warning: standard input did not reach its end "
        + "within 2 s (8 bytes read); the hooks ran without the document\n");
    assertThat(e.code()).isZero();
    assertThat(e.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(2 + 10));
  }
}
