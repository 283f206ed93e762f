package org.virthooks.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;

/** Renders events for people (aligned columns, colour on a terminal) or machines (JSON lines). */
final class EventLogFormat {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final String RESET = "\u001b[0m";

  private final boolean json;
  private final boolean colour;

  EventLogFormat(boolean json, boolean colour) {
    this.json = json;
    this.colour = colour;
  }

  /** True when standard output is a terminal and NO_COLOR is not set. */
  static boolean terminalWantsColour() {
    return System.console() != null && System.getenv("NO_COLOR") == null;
  }

  String format(VirtEvent e) {
    if (json) {
      return EventJson.toJson(e);
    }
    String line = String.format("%s %-24s %4d  %-8s %-20s %-14s %s",
        TIME.format(e.time()), clip(e.source().toString(), 24), e.seq(), e.category().jsonName(),
        clip(e.kindName(), 20), clip(e.optionalDomain().map(d -> d.name()).orElse("-"), 14),
        details(e));
    return colour ? colourOf(e) + line + RESET : line;
  }

  private static String details(VirtEvent e) {
    StringBuilder s = new StringBuilder(e.action());
    if (e instanceof DomainEvent d) {
      d.detail().ifPresent(x -> s.append("  detail=").append(x));
    } else if (e instanceof ProgressEvent p) {
      p.percent().ifPresent(x -> s.append("  ").append(x).append('%'));
      s.append(' ').append(p.status().jsonName());
      p.reporter().ifPresent(x -> s.append(" by ").append(x));
    } else if (e instanceof ResourceEvent r) {
      r.name().ifPresent(x -> s.append("  name=").append(x));
      r.service().ifPresent(x -> s.append("  service=").append(x));
    } else if (e instanceof HardwareEvent h) {
      h.config().ifPresent(x -> s.append("  config=").append(x));
      h.configStatus().ifPresent(x -> s.append(" (").append(x).append(')'));
    } else if (e instanceof SourceEvent src) {
      src.message().ifPresent(x -> s.append("  ").append(x));
    }
    return s.toString();
  }

  private static String colourOf(VirtEvent e) {
    return switch (e.category()) {
      case DOMAIN -> "\u001b[32m";
      case RESOURCE -> "\u001b[36m";
      case PROGRESS -> "\u001b[34m";
      case HARDWARE -> "\u001b[35m";
      case SOURCE -> "\u001b[33m";
      case OTHER -> "\u001b[90m";
    };
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
