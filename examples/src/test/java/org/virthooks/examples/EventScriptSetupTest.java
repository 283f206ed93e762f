package org.virthooks.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.testing.HookHarness;

/** The shipped example script, run for real through the events-script support. */
class EventScriptSetupTest {
  @TempDir
  Path dir;

  @Test
  void theExampleScriptRefusesQuarantinedGuestsAndLetsOthersStart() throws Exception {
    Path script = dir.resolve("events");
    Files.copy(Path.of("scripts/events"), script, StandardCopyOption.COPY_ATTRIBUTES);
    Path props = dir.resolve("events.properties");
    Files.writeString(props, Files.readString(Path.of("scripts/events.properties"))
        .replace("/etc/virthooks/events", script.toString()));
    try (EventDispatcher events = EventDispatcher.create();
        HookHarness h = HookHarness.create();
        EventScriptSetup setup = EventScriptSetup.install(props, events, h.registry())) {
      assertThat(setup.registrationCount()).isEqualTo(1 + EventScriptSetup.POINTS.size());
      HookPoint start = HookPoint.before("domain.start");
      h.call(start).domain("quarantine-7").invoke()
          .assertRefused("domain quarantine-7 is quarantined");
      h.call(start).domain("web1").invoke().assertProceeds();
    }
  }
}
