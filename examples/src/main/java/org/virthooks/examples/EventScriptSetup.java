package org.virthooks.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.Registration;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistration;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.script.EventScript;
import org.virthooks.core.script.EventScriptConfig;

/**
 * Wires an administrator's events script (seed 001's proposal) into an application: the script
 * refuses guest starts and hears events, with no Java written by the administrator. See
 * {@code examples/scripts/events} and {@code examples/scripts/events.properties}.
 */
public final class EventScriptSetup implements AutoCloseable {
  /** The decision points the script may answer. */
  public static final List<HookPoint> POINTS = List.of(HookPoint.before("domain.prepare"),
      HookPoint.before("domain.start"), HookPoint.filter("domain.migrate"),
      HookPoint.filter("domain.restore"));

  private final EventScript script;
  private final List<AutoCloseable> registrations = new ArrayList<>();

  private EventScriptSetup(EventScript script) {
    this.script = script;
  }

  /** Reads {@code properties} and registers the script with {@code events} and {@code hooks}. */
  public static EventScriptSetup install(Path properties, EventDispatcher events,
      HookRegistry hooks) throws IOException {
    EventScriptSetup s = new EventScriptSetup(new EventScript(EventScriptConfig.load(properties)));
    Registration listening = s.script.listenTo(events);
    s.registrations.add(listening);
    for (HookRegistration r : s.script.hookInto(hooks, POINTS)) {
      s.registrations.add(r);
    }
    return s;
  }

  /** How many registrations were made (one listener, one hook per point in the set). */
  public int registrationCount() {
    return registrations.size();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable r : registrations) {
      r.close();
    }
    script.close();
  }
}
