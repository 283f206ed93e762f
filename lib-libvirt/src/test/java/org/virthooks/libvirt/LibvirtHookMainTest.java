package org.virthooks.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fresh-JVM entry point, run in process: options, the events script, the warm-up. */
class LibvirtHookMainTest {
  @TempDir Path dir;

  record Out(int code, String out, String err) {}

  static Out run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = LibvirtHookMain.run(List.of(args),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true), new PrintStream(err, true), Map.of());
    return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anEventsScriptRefusesAStartWithoutJava() throws Exception {
    Path script = dir.resolve("events");
    Path log = dir.resolve("argv.log");
    Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + log + "\ncat > /dev/null\n"
        + "if [ \"$3\" = start ] && [ \"$4\" = before ]; then echo \"$2 is not allowed here\" >&2;"
        + " exit 1; fi\nexit 0\n");
    script.toFile().setExecutable(true);
    String xml = "<domain type='kvm'><name>vm1</name></domain>";
    Out refused = run(xml, "--events-script", script.toString(), "--events-set", "domain", "--",
        "/etc/libvirt/hooks/qemu.d/50-virthooks", "vm1", "start", "begin", "-");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("vm1 is not allowed here");
    Out ok = run(xml, "--events-script", script.toString(), "--events-set", "domain", "--",
        "/etc/libvirt/hooks/qemu.d/50-virthooks", "vm1", "prepare", "begin", "-");
    assertThat(ok.code()).as(ok.err()).isZero();
    // the daemon is not in the set: the script is not run for it
    assertThat(run("", "--events-script", script.toString(), "--events-set", "domain", "--",
        "/etc/libvirt/hooks/daemon", "-", "reload", "begin", "SIGHUP").code()).isZero();
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    assertThat(lines).containsExactly("domain vm1 start before -", "domain vm1 prepare before -");
  }

  @Test
  void optionsAndUsage() {
    assertThat(run("", "--deadline").code()).isEqualTo(LibvirtHookRunner.USAGE);
    assertThat(run("", "--bogus", "1", "--", "/x/qemu", "a", "b").code())
        .isEqualTo(LibvirtHookRunner.USAGE);
    assertThat(run("", "--", "/etc/libvirt/hooks/qemu").err()).contains("usage");
    assertThat(run("", "--deadline", "0.5", "--", "/etc/libvirt/hooks/daemon", "-", "start", "-",
        "start").code()).isZero();
    // without "--", the first non-option starts the call
    assertThat(run("", "/etc/libvirt/hooks/daemon", "-", "shutdown", "-", "shutdown").code())
        .isZero();
  }

  @Test
  void aDeadlineMustBeAPositiveNumberOfSeconds() {
    for (String bad : List.of("0", "-1", "NaN", "soon")) {
      Out o = run("", "--deadline", bad, "--", "/etc/libvirt/hooks/qemu", "vm1", "prepare",
          "begin", "-");
      assertThat(o.code()).as(bad).isEqualTo(LibvirtHookRunner.USAGE);
      assertThat(o.err()).as(bad).contains("--deadline");
    }
  }

  @Test
  void ourOwnFailureRefusesAtABeforePointAndWarnsAtAnAfterPoint() {
    // a bad events-script setting fails the call's set-up, after stdin was read
    String xml = "<domain type='kvm'><name>vm1</name></domain>";
    Out before = run(xml, "--events-script", "/bin/true", "--events-timeout", "soon", "--",
        "/etc/libvirt/hooks/qemu", "vm1", "prepare", "begin", "-");
    assertThat(before.code()).isEqualTo(1);
    assertThat(before.err()).startsWith("virthooks: events_timeout must be a number of seconds")
        .endsWith("; refusing\n");
    Out after = run(xml, "--events-script", "/bin/true", "--events-timeout", "soon", "--",
        "/etc/libvirt/hooks/qemu", "vm1", "stopped", "end", "-");
    assertThat(after.code()).isZero();
    assertThat(after.err()).startsWith("virthooks: warning: events_timeout must be a number")
        .endsWith("; going on\n");
  }

  @Test
  void warmUpAnswersSampleCallsAndRunsNoHook() {
    Out w = run("", "--warm-up");
    assertThat(w.code()).isZero();
    assertThat(w.out()).isEmpty();
  }
}
