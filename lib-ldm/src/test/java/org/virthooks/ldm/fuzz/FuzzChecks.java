package org.virthooks.ldm.fuzz;

import jakarta.xml.bind.JAXBException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.XMLStreamException;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.EventStamper;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.ldm.LdmEventTranslator;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmRequestException;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.model.Cmd;
import org.virthooks.ldm.model.Content;
import org.virthooks.ldm.model.Data;
import org.virthooks.ldm.model.Envelope;
import org.virthooks.ldm.model.Item;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmInterface;
import org.virthooks.ldm.model.LdmMessage;
import org.virthooks.ldm.model.Response;
import org.virthooks.ldm.model.Section;

/**
 * The invariants both fuzz targets check on what the decoder gives back. A violated invariant
 * throws an {@link AssertionError} (or lets an unexpected exception escape), which Jazzer reports
 * as a finding with the input that caused it.
 */
final class FuzzChecks {
  private static final LdmEventTranslator TRANSLATOR = new LdmEventTranslator(new EventStamper(
      SourceId.of("ldm", "fuzz:6482"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));

  /** What was written to System.out and System.err while {@link #quietly} ran. */
  private static final ByteArrayOutputStream PRINTED = new ByteArrayOutputStream();
  private static volatile boolean capturing;

  static {
    System.setOut(new PrintStream(new Tee(System.out), true));
    System.setErr(new PrintStream(new Tee(System.err), true));
  }

  private FuzzChecks() {}

  /** A fuzz target's body. */
  interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} and checks that the code under test printed nothing: a library must not
   * write to the process's stdout or stderr (the CLI prints its own messages there). Lines of
   * Jazzer's own log (it instruments classes as they load) do not count.
   */
  static void quietly(Body body) throws Exception {
    synchronized (PRINTED) {
      PRINTED.reset();
    }
    capturing = true;
    try {
      body.run();
    } finally {
      capturing = false;
    }
    String printed;
    synchronized (PRINTED) {
      printed = PRINTED.toString(StandardCharsets.UTF_8);
    }
    String stray = printed.lines().filter(l -> !l.startsWith("INFO: ") && !l.startsWith("WARN: "))
        .reduce("", (a, b) -> a + b + "\n");
    check(stray.isEmpty(), "the decoder printed to stdout or stderr: " + stray, null);
  }

  /** Passes everything on, and keeps a copy while capturing. */
  private static final class Tee extends OutputStream {
    private final PrintStream original;

    Tee(PrintStream original) {
      this.original = original;
    }

    @Override
    public void write(int b) {
      if (capturing) {
        synchronized (PRINTED) {
          PRINTED.write(b);
        }
      }
      original.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (capturing) {
        synchronized (PRINTED) {
          PRINTED.write(b, off, len);
        }
      }
      original.write(b, off, len);
    }

    @Override
    public void flush() {
      original.flush();
    }
  }

  /**
   * A parse error is what the API documents: a message, and a line and column counted from 1, or
   * -1 when unknown (the column alone, or both). Its causes may only be the parser's and the binder's own checked
   * exceptions: a runtime exception or an error in the chain is a bug that {@link LdmXml} only
   * hid by wrapping it.
   */
  static void checkParseError(LdmParseException e) {
    check(e.getMessage() != null && !e.getMessage().isBlank(), "parse error without message", e);
    boolean lineOk = e.line() >= 1 || (e.line() == -1 && e.column() == -1);
    check(lineOk && (e.column() >= 1 || e.column() == -1),
        "parse error position neither counted from 1 nor -1: line " + e.line() + ", column "
            + e.column(), e);
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      check(t instanceof LdmParseException || t instanceof XMLStreamException
          || t instanceof JAXBException || t instanceof IOException
          || t instanceof org.xml.sax.SAXException,
          "parse error caused by " + t.getClass().getName() + ": a bug wrapped as a parse error", e);
    }
  }

  /** Everything a consumer does with a parsed document works and loses nothing. */
  static void checkMessage(LdmMessage m) {
    Objects.requireNonNull(m, "read returned null");
    check(m.getCommands() != null, "commands null", null);
    String describe = m.toString();
    check(describe != null, "toString null", null);
    m.firstAction();
    for (Cmd c : m.getCommands()) {
      check(c != null, "null command in " + describe, null);
      c.getOptions();
      for (Data d : c.getData()) {
        check(d != null, "null data in " + describe, null);
        if (d.getEnvelope() != null) {
          d.getEnvelope().firstDomain();
          d.getEnvelope().allItems().forEach(i -> {
            i.propertyMap();
            i.getOtherResourceType();
          });
        }
      }
    }
    if (m instanceof LdmEvent ev) {
      checkTranslation(ev);
    } else if (m instanceof LdmInterface i) {
      checkResponse(i);
    }
  }

  /**
   * The translator never throws, gives one event per command (one for none), keeps every raw
   * action, numbers events without gaps, and turns any action it does not know into an
   * {@link OtherEvent}.
   */
  static void checkTranslation(LdmEvent ev) {
    long before = stamper().lastSeq();
    List<VirtEvent> out = TRANSLATOR.translate(ev);
    List<Cmd> cmds = ev.getCommands();
    check(out.size() == Math.max(1, cmds.size()),
        out.size() + " events for " + cmds.size() + " commands: " + ev, null);
    for (int i = 0; i < out.size(); i++) {
      VirtEvent e = out.get(i);
      check(e != null, "null event", null);
      check(e.seq() == before + 1 + i, "sequence gap at " + e.seq(), null);
      if (cmds.isEmpty()) {
        check(e instanceof OtherEvent, "an event without commands is not other: " + e, null);
        continue;
      }
      String raw = cmds.get(i).getAction();
      String expected = raw == null || raw.isBlank() ? "(none)" : raw;
      check(expected.equals(e.action()), "action '" + e.action() + "' for '" + expected + "'", null);
      boolean known = LdmEventTranslator.DOMAIN_KINDS.containsKey(expected)
          || LdmEventTranslator.SPCONFIG_OPERATIONS.containsKey(expected)
          || LdmEventTranslator.MIGRATION_PROCESS.equals(expected)
          || LdmEventTranslator.RESOURCE_ACTIONS.containsKey(expected);
      if (!known) {
        check(e instanceof OtherEvent, "unknown action '" + expected + "' gave " + e, null);
      } else if (LdmEventTranslator.SPCONFIG_OPERATIONS.containsKey(expected)) {
        check(e instanceof HardwareEvent || e instanceof OtherEvent, "spconfig gave " + e, null);
      } else if (LdmEventTranslator.MIGRATION_PROCESS.equals(expected)) {
        check(e instanceof ProgressEvent || e instanceof OtherEvent, "progress gave " + e, null);
      } else if (LdmEventTranslator.DOMAIN_KINDS.containsKey(expected)) {
        check(e instanceof DomainEvent || e instanceof OtherEvent, "domain action gave " + e, null);
      } else {
        check(e instanceof ResourceEvent || e instanceof OtherEvent, "resource action gave " + e, null);
      }
      e.kindName();
      e.category();
      e.optionalDomain();
    }
  }

  /** What the request API reads from a response works on anything the decoder accepts. */
  static void checkResponse(LdmInterface i) {
    boolean success = i.isSuccess();
    i.isResponse();
    List<String> failures = i.failureMessages();
    check(success || i.isResponse(), "a failure without any response level: " + i, null);
    check(failures.stream().noneMatch(s -> s == null || s.isBlank()), "blank failure message", null);
    if (!success) {
      String action = i.firstAction() == null ? "(none)" : i.firstAction();
      LdmRequestException e = new LdmRequestException(action, i);
      check(e.getMessage() != null && e.messages().equals(failures), "request exception", null);
    }
  }

  /** A parsed document written again reads back to the same document: every value the model keeps. */
  static void checkRoundTrip(LdmXml xml, LdmMessage m) {
    String text = xml.write(m);
    LdmMessage again;
    try {
      again = xml.read(text);
    } catch (LdmParseException e) {
      throw new AssertionError("a document read once cannot be read again after writing: " + text, e);
    }
    String before = fingerprint(m);
    String after = fingerprint(again);
    check(before.equals(after), "the round trip changed the document:\n  read:    " + before
        + "\n  written: " + text + "\n  re-read: " + after, null);
  }

  /** Every value of the model, in order, each quoted so that nothing runs together. */
  private static String fingerprint(LdmMessage m) {
    StringBuilder b = new StringBuilder(m.getClass().getSimpleName());
    v(b, "version", m.getVersion());
    for (Cmd c : m.getCommands()) {
      v(b, "cmd", c.getAction());
      c.getOptions().forEach(o -> v(b, "option", o));
      for (Data d : c.getData()) {
        v(b, "data", d.getVersion());
        Envelope e = d.getEnvelope();
        if (e != null) {
          v(b, "envelope", e.getReferences() == null ? null : "references");
          for (Content content : e.getContents()) {
            v(b, "content", content.getId());
            v(b, "type", content.getType());
            content.getSections().forEach(sec -> section(b, sec));
          }
          e.getSections().forEach(sec -> section(b, sec));
        }
        response(b, d.getResponse());
      }
      response(b, c.getResponse());
    }
    if (m instanceof LdmInterface i) {
      response(b, i.getResponse());
    }
    return b.toString();
  }

  private static void section(StringBuilder b, Section s) {
    v(b, "section", s.getType());
    for (Item i : s.getItems()) {
      v(b, "item", i.getOtherResourceType());
      v(b, "address", i.getAddress());
      i.getProperties().forEach(p -> {
        v(b, "key", p.getKey());
        v(b, "value", p.getValue());
      });
    }
  }

  private static void response(StringBuilder b, Response r) {
    if (r != null) {
      v(b, "status", r.getStatus());
      r.getMessages().forEach(msg -> v(b, "resp_msg", msg));
    }
  }

  private static void v(StringBuilder b, String name, String value) {
    b.append(' ').append(name).append('=').append(value == null ? "null" : "[" + value + "]");
  }

  private static EventStamper stamper() {
    return TRANSLATOR.stamper();
  }

  static void check(boolean ok, String what, Throwable cause) {
    if (!ok) {
      throw new AssertionError(what, cause);
    }
  }
}
