package org.virthooks.core.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Operation;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.testing.HookHarness;
import org.virthooks.core.testing.TestEvents;

/** Runs real shell scripts: argv, stdin, exit codes, deadlines, children left behind. */
class EventScriptTest {
  @TempDir
  Path dir;

  private final TestEvents ev = new TestEvents();
  private final HookHarness h = HookHarness.create();
  private final ScriptRunner runner = new ScriptRunner();

  @AfterEach
  void close() throws IOException {
    h.close();
    runner.close();
    try (var escaped = Files.newDirectoryStream(dir, "escaped.*")) {
      for (Path f : escaped) {
        String pid = Files.readString(f).strip();
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  // shell lines starting a child that leaves the script's session (setsid) holding its stdout and
  // stderr, so the sweep cannot find it; they return once it has left, as before that the sweep
  // could still kill it; close() kills it
  private String escapedChild() {
    return "f=" + dir + "/escaped.$$\n"
        + "(setsid sh -c 'echo $$ > \"$1\"; exec sleep 60' sh \"$f\" &)\n"
        + "while [ ! -s \"$f\" ]; do sleep 0.01; done\n";
  }

  private Path script(String body) throws IOException {
    Path p = dir.resolve("events");
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private EventScript eventScript(Path script, String set, Duration timeout) {
    return new EventScript(new EventScriptConfig(script, Set.of(set.split(" ")), timeout), runner);
  }

  @Test
  void theProposalsExampleBecomesItsArgv() throws Exception {
    Path log = dir.resolve("argv");
    Path sc = script("echo \"$@\" > " + log + "; cat > " + dir.resolve("stdin"));
    EventScript es = eventScript(sc, "daemon domain", Duration.ofSeconds(10));
    es.hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    h.call(HookPoint.before("domain.start")).domain("foo").invoke().assertProceeds();
    assertThat(Files.readString(log).strip()).isEqualTo("domain foo start before -");
    assertThat(Files.readString(dir.resolve("stdin"))).contains("\"point\":\"domain.start\"")
        .contains("\"name\":\"foo\"");
  }

  @Test
  void aLargeDocumentReachesTheScriptAsExactlyTheCallsJson() throws Exception {
    Path got = dir.resolve("stdin");
    Path sc = script("cat > " + got);
    eventScript(sc, "domain", Duration.ofSeconds(30))
        .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    // written to the script in pieces: escapes, multi-byte characters and piece boundaries
    String doc = "<domain><description>"
        + "caf\u00e9 \"\u65e5\" \\ \ud83d\ude00\n\t<>&".repeat(150_000) + "</description></domain>";
    HookCall call = h.call(HookPoint.before("domain.start")).domain("foo").document(doc).build();
    assertThat(h.registry().invoke(call).proceeds()).isTrue();
    assertThat(Files.readAllBytes(got))
        .isEqualTo(EventJson.toJson(call).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNonZeroExitAtABeforePointRefusesWithStderr() throws Exception {
    Path sc = script("echo 'quota exceeded for tenant 42' >&2; exit 3");
    eventScript(sc, "domain", Duration.ofSeconds(10))
        .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    h.call(HookPoint.before("domain.start")).domain("foo").invoke()
        .assertRefused("quota exceeded for tenant 42");
  }

  @Test
  void aFilterScriptRewritesWithItsStdout() throws Exception {
    Path sc = script("echo '<domain>rewritten</domain>'");
    eventScript(sc, "domain", Duration.ofSeconds(10))
        .hookInto(h.registry(), List.of(HookPoint.filter("domain.restore")));
    h.call(HookPoint.filter("domain.restore")).document("<domain/>").invoke()
        .assertRewrittenTo("<domain>rewritten</domain>\n");
  }

  @Test
  void aRefusalKeepsTheScriptsStderrWhenItsReaderStartsLate() throws Exception {
    // the load: the script has long exited when the threads reading its pipes first run
    try (ScriptRunner late = lateReader(Duration.ofSeconds(1))) {
      Path sc = script("echo 'quota exceeded for tenant 42' >&2; exit 1");
      new EventScript(new EventScriptConfig(sc, Set.of("domain"), Duration.ofSeconds(10)), late)
          .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
      h.call(HookPoint.before("domain.start")).domain("foo").invoke()
          .assertRefused("events script events: quota exceeded for tenant 42");
    }
  }

  @Test
  void aKilledScriptsLastWordsAreReadEvenWhenItsReaderStartsLate() throws Exception {
    // its deadline has passed by the time the reader runs: a short grace still collects them
    try (ScriptRunner late = lateReader(Duration.ofMillis(900))) {
      Path sc = script("echo 'still asking the quota service' >&2; sleep 300");
      ScriptResult r = late.run(new ScriptInvocation(List.of(sc.toString()), null, null),
          Duration.ofMillis(300));
      assertThat(r.timedOut()).isTrue();
      assertThat(r.stderr()).isEqualTo("still asking the quota service\n");
      assertThat(r.outputCut()).isFalse();
    }
  }

  @Test
  void objectsOutsideTheSetAreNotHooked() throws Exception {
    Path sc = script("exit 1");
    List<?> regs = eventScript(sc, "daemon", Duration.ofSeconds(10))
        .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    assertThat(regs).isEmpty();
    h.call(HookPoint.before("domain.start")).invoke().assertProceeds();
  }

  @Test
  void eventsArriveWithFiveArgumentsAndTheirJson() throws Exception {
    Path log = dir.resolve("log");
    Path sc = script("echo \"$@\" >> " + log + "; cat >> " + log + "; echo >> " + log);
    EventScript es = eventScript(sc, "domain daemon", Duration.ofSeconds(10));
    try (EventDispatcher d = EventDispatcher.create()) {
      es.listenTo(d);
      d.publish(ev.domain("web1", DomainEvent.Kind.STOPPED));
      d.publish(ev.resource("web1", Operation.ADD, ResourceType.VDISK)); // not in the set
      d.publish(ev.source(SourceEvent.Kind.CONNECTION_LOST));
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("domain web1 stopped - stopped");
    assertThat(lines.get(1)).contains("\"category\":\"domain\"").contains("\"seq\":1");
    assertThat(lines.get(2)).isEqualTo("daemon unit connection-lost - connection_lost");
  }

  @Test
  void aScriptOverItsDeadlineIsKilledWithItsChildren() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Path sc = script("sleep 300 & echo $! > " + pidFile + "; sleep 300");
    eventScript(sc, "domain", Duration.ofMillis(500))
        .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    long t0 = System.nanoTime();
    h.call(HookPoint.before("domain.start")).invoke().assertRefused("killed at its deadline");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertChildGone(pidFile);
  }

  @Test
  void aBackgroundChildLeftBehindIsKilledAndDoesNotHoldTheCall() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Path sc = script("sleep 300 & echo $! > " + pidFile + "; exit 0");
    ScriptResult r = runner.run(new ScriptInvocation(List.of(sc.toString()), null, null),
        Duration.ofSeconds(10));
    assertThat(r.exitCode()).isZero();
    assertChildGone(pidFile);
  }

  @Test
  void outputHeldOpenByAnEscapedChildIsFlaggedAndNeverUsedAsADocument() throws Exception {
    // the escaped child keeps stdout open past the deadline
    Path sc = script(escapedChild() + "echo '<domain/>'; exit 0");
    long t0 = System.nanoTime();
    ScriptResult r = runner.run(new ScriptInvocation(List.of(sc.toString()), null, null),
        Duration.ofSeconds(1));
    // the wait for the pipe's end stops at the deadline (or the grace after it)
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(r.exitCode()).isZero();
    assertThat(r.outputCut()).isTrue();
    assertThat(r.stdout()).isEqualTo("<domain/>\n"); // what arrived is kept, nothing invented
    eventScript(sc, "domain", Duration.ofSeconds(1))
        .hookInto(h.registry(), List.of(HookPoint.filter("domain.restore")));
    h.call(HookPoint.filter("domain.restore")).document("<d/>").invoke()
        .assertRefused("output is incomplete");
  }

  @Test
  void aKilledScriptRefusesWithItsOwnWordsThoughAnEscapedChildHoldsItsPipes() throws Exception {
    // the call waits out its grace for the pipes after the kill: the hook's deadline allows that
    Path sc = script("echo 'asking the quota service' >&2\n" + escapedChild() + "sleep 300");
    eventScript(sc, "domain", Duration.ofMillis(500))
        .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    h.call(HookPoint.before("domain.start")).invoke()
        .assertRefused("events script events: asking the quota service");
  }

  @Test
  void programsWithoutASlashAreLookedUpInPath() throws Exception {
    ScriptResult r = runner.run(new ScriptInvocation(List.of("true"), null, null),
        Duration.ofSeconds(10));
    assertThat(r.exitCode()).isZero();
    assertThatThrownBy(() -> runner.run(new ScriptInvocation(List.of("no-such-program-vh"), null,
        null), Duration.ofSeconds(10))).isInstanceOf(IOException.class)
        .hasMessageContaining("not found in PATH");
  }

  @Test
  void aMissingScriptIsAClearRefusal() {
    eventScript(dir.resolve("nope"), "domain", Duration.ofSeconds(1))
        .hookInto(h.registry(), List.of(HookPoint.before("domain.start")));
    h.call(HookPoint.before("domain.start")).invoke().assertRefused("cannot run");
  }

  @Test
  void outputIsCutAtTheLimit() throws Exception {
    try (ScriptRunner small = new ScriptRunner(100)) {
      Path sc = script("head -c 100000 /dev/zero | tr '\\0' x");
      ScriptResult r = small.run(new ScriptInvocation(List.of(sc.toString()), null, null),
          Duration.ofSeconds(10));
      assertThat(r.stdout()).hasSize(100);
      assertThat(r.outputCut()).isTrue();
    }
  }

  @Test
  void configurationIsReadFromPropertiesWithClearErrors() throws Exception {
    Path f = dir.resolve("events.properties");
    Files.writeString(f, "events_script=/etc/libvirt/events\nevents_set=\"daemon domain\"\n"
        + "events_timeout=2.5\n");
    EventScriptConfig c = EventScriptConfig.load(f);
    assertThat(c.script()).isEqualTo(Path.of("/etc/libvirt/events"));
    assertThat(c.set()).containsExactlyInAnyOrder("daemon", "domain");
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.covers("domain")).isTrue();
    assertThat(c.covers("network")).isFalse();

    Properties p = new Properties();
    assertThatThrownBy(() -> EventScriptConfig.fromProperties(p)).hasMessageContaining("events_script");
    p.setProperty("events_script", "/x");
    assertThatThrownBy(() -> EventScriptConfig.fromProperties(p)).hasMessageContaining("events_set");
    p.setProperty("events_set", "all");
    p.setProperty("events_timeout", "soon");
    assertThatThrownBy(() -> EventScriptConfig.fromProperties(p))
        .hasMessageContaining("events_timeout").hasMessageContaining("'soon'");
    p.setProperty("events_timeout", "-1");
    assertThatThrownBy(() -> EventScriptConfig.fromProperties(p)).hasMessageContaining("positive");
  }

  // I/O threads that sleep before their first task, as on a machine too loaded to run them
  private static ScriptRunner lateReader(Duration delay) {
    return new ScriptRunner(ScriptRunner.DEFAULT_OUTPUT_LIMIT, task -> {
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          return; // the runner was closed
        }
        task.run();
      });
      t.setDaemon(true);
      return t;
    });
  }

  private static void assertChildGone(Path pidFile) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(pidFile) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("child %d still alive", pid).isFalse();
  }
}
