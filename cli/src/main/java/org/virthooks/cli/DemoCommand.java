package org.virthooks.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventCategory;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.EventStamper;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.Registration;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.hook.HookCall;
import org.virthooks.core.hook.HookOutcome;
import org.virthooks.core.hook.HookPoint;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.core.hook.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code virthooks demo}: events from a synthetic source through the dispatcher, and a refusing
 * hook at work, printed as an event log with a summary.
 */
@Command(name = "demo", description = "Show events and hooks at work on a synthetic source.")
public final class DemoCommand implements Callable<Integer> {
  private static final HookPoint START = HookPoint.before("domain.start");

  @Option(names = "--json", description = "Print JSON lines instead of the event log.")
  boolean json;

  @Option(names = "--no-colour", description = "No colour even on a terminal.")
  boolean noColour;

  @Option(names = "--fleet", description = "Also the fleet part: a local Kafka broker, the "
      + "demo's feeds sent through the agent's spool and Kafka sink, and read back.")
  boolean fleet;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EventLogFormat format = new EventLogFormat(json, !noColour && EventLogFormat.terminalWantsColour());
    Map<EventCategory, Integer> counts = new EnumMap<>(EventCategory.class);
    try (EventDispatcher events = EventDispatcher.create();
        HookRegistry hooks = HookRegistry.create()) {
      // sources publish from their own threads: the log and the counts are shared
      events.on(VirtEvent.class, e -> {
        synchronized (out) {
          out.println(format.format(e));
          out.flush();
        }
      });
      events.on(VirtEvent.class, e -> {
        synchronized (counts) {
          counts.merge(e.category(), 1, Integer::sum);
        }
      });
      Registration audit = events.subscribe(DomainEvent.class).name("slow-audit")
          .async(4, OverflowPolicy.DROP_OLDEST).register(e -> sleep(2));
      hooks.hook(START).name("memory-budget").deadline(Duration.ofSeconds(1))
          .register(call -> call.attribute("memoryMiB").map(Integer::parseInt).orElse(0) > 2048
              ? Verdict.refuse("guest " + call.domain().map(DomainRef::name).orElse("?")
                  + " wants more than the 2048 MiB budget")
              : Verdict.proceed());

      EventStamper s = new EventStamper(SourceId.of("synthetic", "demo"));
      int refused = 0;
      for (String[] guest : new String[][] {{"web1", "1024"}, {"big-db", "8192"}}) {
        DomainRef d = DomainRef.of(guest[0]);
        events.publish(DomainEvent.of(s.next("define"), d, DomainEvent.Kind.DEFINED));
        HookOutcome o = hooks.invoke(HookCall.of(START, s.source(), "start begin -").withDomain(d)
            .withAttributes(Map.of("memoryMiB", guest[1])));
        if (!o.proceeds()) {
          refused++;
          if (!json) {
            out.println("  hook '" + o.decidedBy().orElse("?") + "' refused the start: "
                + o.refusal().orElse(""));
          }
          continue;
        }
        events.publish(DomainEvent.of(s.next("LIFECYCLE/STARTED/BOOTED"), d.withId(7),
            DomainEvent.Kind.STARTED, "BOOTED"));
      }
      DomainRef web = DomainRef.of("web1").withId(7);
      events.publish(ResourceEvent.of(s.next("add-vdisk"), web, Operation.ADD, ResourceType.VDISK)
          .withName("data0").withService("primary-vds0"));
      events.publish(HardwareEvent.spConfig(s.next("add-spconfig"), Operation.ADD, "nightly",
          "next"));
      for (int p = 0; p <= 100; p += 50) {
        events.publish(new ProgressEvent(s.next("migration-process"), Optional.of(web),
            ProgressEvent.Kind.MIGRATION, OptionalInt.of(p),
            p == 100 ? ProgressEvent.Status.DONE : ProgressEvent.Status.ONGOING,
            Optional.of("host-b")));
      }
      events.publish(SourceEvent.of(s.next("eof"), SourceEvent.Kind.CONNECTION_LOST,
          "daemon closed the connection"));
      events.publish(SourceEvent.of(s.next("reconnected"), SourceEvent.Kind.CONNECTION_RESTORED,
          null));
      events.publish(new OtherEvent(s.next("frobnicate-domain"), Optional.of(web)));
      events.publish(DomainEvent.of(s.next("LIFECYCLE/STOPPED/DESTROYED"), web,
          DomainEvent.Kind.STOPPED, "DESTROYED"));

      String libvirt = DemoLibvirt.run(events);
      String ldoms = DemoLdoms.run(events);
      String xen = DemoXen.run(events);
      if (!json) {
        out.println();
        out.println("summary: " + counts + ", starts refused by hooks: " + refused
            + ", dropped by the slow async listener: " + audit.dropped());
        out.println("  " + libvirt);
        out.println("  LDoms: " + ldoms);
        out.println("  " + xen);
      }
    }
    if (fleet) {
      out.println();
      out.println(DemoFleet.run(out));
    }
    out.flush();
    return 0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
