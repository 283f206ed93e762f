package org.virthooks.core.script;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.ProcessGroups;

/**
 * Runs an external program with a deadline: writes standard input, collects standard output and
 * error (each up to a limit), kills the program and the children it started when the deadline
 * passes, and kills children left behind after it exits, so that no process outlives the call
 * holding its pipes. Thread-safe; {@link #close()} stops its I/O threads.
 */
public final class ScriptRunner implements AutoCloseable {
  /** Output beyond this many bytes per stream is read and discarded. */
  public static final int DEFAULT_OUTPUT_LIMIT = 1 << 20;
  private static final long POLL_MILLIS = 20;
  private static final long LINGER_MILLIS = 200;

  private final int outputLimit;
  private final ExecutorService io = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setNameFormat("virthooks-script-io-%d").setDaemon(true).build());

  /** A runner with {@link #DEFAULT_OUTPUT_LIMIT}. */
  public ScriptRunner() {
    this(DEFAULT_OUTPUT_LIMIT);
  }

  /** A runner keeping at most {@code outputLimit} bytes of each output stream. */
  public ScriptRunner(int outputLimit) {
    this.outputLimit = Checks.inRange("outputLimit", outputLimit, 1, Integer.MAX_VALUE);
  }

  /**
   * Runs {@code call}: {@code argv} as the command, the current environment plus {@code env},
   * {@code stdin} on standard input.
   *
   * @throws IOException when the program cannot be started (missing, not executable)
   */
  public ScriptResult run(ScriptInvocation call, Duration deadline) throws IOException {
    Checks.notNull("deadline", deadline);
    List<String> argv = call.argv();
    String program = argv.get(0);
    if (program.contains("/") && !java.nio.file.Files.isExecutable(Path.of(program))) {
      // said here because behind setsid the failure would only show as its exit status
      throw new IOException(program + " is missing or not executable");
    }
    Path setsid = ProcessGroups.setsid();
    if (setsid != null) {
      // a session of its own: children it leaves behind can still be found and killed
      argv = new ArrayList<>(argv);
      argv.add(0, setsid.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(call.env());
    Process p = pb.start();
    Set<ProcessHandle> seen = new HashSet<>();
    Future<?> feeder = io.submit(() -> feed(p.getOutputStream(), call.stdin()));
    Future<byte[]> out = io.submit(() -> collect(p.getInputStream()));
    Future<byte[]> err = io.submit(() -> collect(p.getErrorStream()));
    long end = System.nanoTime() + deadline.toNanos();
    boolean timedOut = false;
    try {
      while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        // remember children while the parent lives: once it exits they are re-parented and lost
        p.descendants().forEach(seen::add);
        if (System.nanoTime() > end) {
          timedOut = true;
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      timedOut = true;
    }
    if (timedOut) {
      p.descendants().forEach(seen::add);
      p.destroyForcibly();
    }
    seen.forEach(ProcessHandle::destroyForcibly);
    if (setsid != null) {
      ProcessGroups.inSession(p.pid()).forEach(ProcessHandle::destroyForcibly);
    }
    feeder.cancel(true);
    byte[] stdout = finish(out, p);
    byte[] stderr = finish(err, p);
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    return new ScriptResult(code, new String(stdout, StandardCharsets.UTF_8),
        new String(stderr, StandardCharsets.UTF_8), timedOut);
  }

  // a grandchild that escaped may still hold the pipe: take what arrived and stop waiting
  private static byte[] finish(Future<byte[]> f, Process p) {
    try {
      return f.get(LINGER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      closeQuietly(p.getInputStream());
      closeQuietly(p.getErrorStream());
      return "[output cut: a child process kept the pipe open]".getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      Thread.currentThread().interrupt();
      return new byte[0];
    }
  }

  private static void feed(OutputStream in, byte[] data) {
    try (in) {
      in.write(data);
    } catch (IOException e) {
      // the program exited without reading its input: that is its right
    }
  }

  private byte[] collect(InputStream s) throws IOException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = s.read(buf)) >= 0) {
      int room = outputLimit - kept.size();
      if (room > 0) {
        kept.write(buf, 0, Math.min(room, n));
      }
    }
    return kept.toByteArray();
  }

  private static void closeQuietly(InputStream s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing more to do for a stream we are abandoning
    }
  }

  /** Stops the I/O threads; calls still running lose their output. */
  @Override
  public void close() {
    io.shutdownNow();
  }
}
