package org.virthooks.examples;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.EventListener;
import org.virthooks.core.OverflowPolicy;
import org.virthooks.core.Registration;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.libvirt.LibvirtEventSource;

/**
 * An audit-log listener: every event as one JSON line in a file. It never throws (a full disk is
 * counted, not propagated) and is registered asynchronously, so a slow disk never holds up an
 * event source.
 */
public final class AuditLog implements EventListener<VirtEvent>, AutoCloseable {
  private final Writer out;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  /** An audit log writing to {@code out}. */
  public AuditLog(Writer out) {
    this.out = out;
  }

  /** An audit log appending to {@code file}. */
  public static AuditLog appendingTo(Path file) throws IOException {
    return new AuditLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  /** Registers this log for every event, through a queue that drops the oldest when full. */
  public Registration registerWith(EventDispatcher events) {
    return events.subscribe(VirtEvent.class).name("audit-log")
        .async(16_384, OverflowPolicy.DROP_OLDEST).register(this);
  }

  @Override
  public void onEvent(VirtEvent event) {
    try {
      // one drain thread at a time calls this, so lines never interleave
      EventJson.write(event, out);
      out.write('\n');
      out.flush();
      written.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      failed.incrementAndGet();
    }
  }

  /** Lines written. */
  public long written() {
    return written.get();
  }

  /** Events that could not be written. */
  public long failed() {
    return failed.get();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** Audits a libvirt URI to a file: {@code AuditLog [URI] [FILE]} (default test:///default, stdout). */
  public static void main(String[] args) throws Exception {
    String uri = args.length > 0 ? args[0] : "test:///default";
    try (AuditLog log = args.length > 1 ? appendingTo(Path.of(args[1]))
            : new AuditLog(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        EventDispatcher events = EventDispatcher.create()) {
      log.registerWith(events);
      try (LibvirtEventSource source = LibvirtEventSource.builder(uri, events).build().start()) {
        System.err.println("auditing " + uri + "; Ctrl-C to stop");
        Thread.currentThread().join();
      }
    }
  }
}
