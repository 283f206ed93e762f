package org.virthooks.core.script;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
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
  /**
   * How long past its deadline a call may still wait for the output of a program it killed: its
   * pipes end as soon as the kill lands, but the threads reading them may not have run yet.
   */
  public static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);
  private static final long POLL_MILLIS = 20;

  private final int outputLimit;
  private final ExecutorService io;

  /** A runner with {@link #DEFAULT_OUTPUT_LIMIT}. */
  public ScriptRunner() {
    this(DEFAULT_OUTPUT_LIMIT);
  }

  /** A runner keeping at most {@code outputLimit} bytes of each output stream. */
  public ScriptRunner(int outputLimit) {
    this(outputLimit,
        new ThreadFactoryBuilder().setNameFormat("virthooks-script-io-%d").setDaemon(true).build());
  }

  // tests hand in threads that start late, as on a machine too loaded to schedule them at once
  ScriptRunner(int outputLimit, ThreadFactory ioThreads) {
    this.outputLimit = Checks.inRange("outputLimit", outputLimit, 1, Integer.MAX_VALUE);
    this.io = Executors.newCachedThreadPool(ioThreads);
  }

  /**
   * Runs {@code call}: {@code argv} as the command, the current environment plus {@code env},
   * {@code stdin} on standard input. Returns once the program has exited and its output has been
   * read to its end; output still open at {@code deadline} (at least {@link #OUTPUT_GRACE} after
   * the program ended) is kept as far as it arrived and flagged {@link ScriptResult#outputCut()}.
   *
   * @throws IOException when the program cannot be started (missing, not executable)
   */
  public ScriptResult run(ScriptInvocation call, Duration deadline) throws IOException {
    Checks.notNull("call", call);
    return run(call.argv(), call.env(), in -> in.write(call.stdin()), deadline);
  }

  /** Writes a program's standard input while it runs; the runner closes the stream after. */
  @FunctionalInterface
  public interface StdinWriter {
    /** Writes the input to {@code stdin}; an {@link IOException} ends the input there. */
    void writeTo(OutputStream stdin) throws IOException;
  }

  /**
   * Runs {@code argv} with the current environment plus {@code env}, {@code stdin} writing its
   * standard input on another thread as it runs: a large input (a hook call's JSON with its
   * document) is never held whole.
   *
   * @throws IOException when the program cannot be started (missing, not executable)
   */
  public ScriptResult run(List<String> argv, Map<String, String> env, StdinWriter stdin,
      Duration deadline) throws IOException {
    Checks.notNull("argv", argv);
    Checks.notNull("stdin", stdin);
    Checks.notNull("deadline", deadline);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must hold at least the program");
    }
    Map<String, String> environment = env == null ? Map.of() : env;
    List<String> command = new ArrayList<>(argv);
    // resolved here because behind setsid a missing program would only show as exit status 127
    command.set(0, resolve(command.get(0), environment).toString());
    Path setsid = ProcessGroups.setsid();
    if (setsid != null) {
      // a session of its own: children it leaves behind can still be found and killed
      command.add(0, setsid.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    Process p = pb.start();
    Set<ProcessHandle> seen = new HashSet<>();
    Future<?> feeder = io.submit(() -> feed(p.getOutputStream(), stdin));
    Collector out = new Collector(p.getInputStream(), outputLimit);
    Collector err = new Collector(p.getErrorStream(), outputLimit);
    Future<?> outDone = io.submit(out);
    Future<?> errDone = io.submit(err);
    long end = System.nanoTime() + Checks.saturatedNanos(deadline);
    boolean timedOut = false;
    boolean interrupted = false;
    try {
      while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (setsid == null) {
          // no session to sweep: remember children while the parent lives
          p.descendants().forEach(seen::add);
        }
        if (System.nanoTime() - end > 0) {
          timedOut = true;
          break;
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
      timedOut = true;
    }
    if (timedOut) {
      p.descendants().forEach(seen::add);
      // through its handle: Process.destroyForcibly also closes our end of its pipes, and what it
      // wrote that the readers had not taken yet (often why it is refusing) would be thrown away
      p.toHandle().destroyForcibly();
    }
    seen.forEach(ProcessHandle::destroyForcibly);
    if (setsid != null) {
      ProcessGroups.inSession(p.pid()).forEach(ProcessHandle::destroyForcibly);
    }
    feeder.cancel(true);
    // its own children are gone, so the pipes end at once unless one escaped the session; the
    // readers get until the deadline to see that end, and a grace even when it has passed, since
    // on a loaded machine they may not have run at all yet (a refusal then lost its message)
    long graceEnd = System.nanoTime() + OUTPUT_GRACE.toNanos();
    long outputEnd = end - graceEnd > 0 ? end : graceEnd;
    boolean complete = settle(outDone, outputEnd) & settle(errDone, outputEnd);
    if (!complete) {
      // still open at the bound (an escaped child holds it): keep what arrived and stop reading
      outDone.cancel(true);
      errDone.cancel(true);
      closeQuietly(p.getInputStream());
      closeQuietly(p.getErrorStream());
    }
    int code = -1;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new ScriptResult(code, out.text(), err.text(), timedOut,
        !complete || out.cut() || err.cut());
  }

  /** The program as an absolute path: as given when it has a slash, else looked up in PATH. */
  private static Path resolve(String program, Map<String, String> env) throws IOException {
    if (program.contains("/")) {
      Path p = Path.of(program);
      if (!Files.isExecutable(p) || Files.isDirectory(p)) {
        throw new IOException(program + " is missing or not executable");
      }
      return p;
    }
    String path = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IOException(program + " was not found in PATH (" + path + ")");
  }

  /** True when the reader {@code f} reached the end of its stream before {@code endNanos}. */
  private static boolean settle(Future<?> f, long endNanos) {
    try {
      f.get(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }

  /** Reads one stream to its end, keeping up to the limit; readable while it still runs. */
  private static final class Collector implements Runnable {
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean cut;

    Collector(InputStream in, int limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (this) {
            int room = limit - kept.size();
            if (n > room) {
              cut = true;
            }
            if (room > 0) {
              kept.write(buf, 0, Math.min(room, n));
            }
          }
        }
      } catch (IOException e) {
        // the stream was closed under us: what was read is kept
      }
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean cut() {
      return cut;
    }
  }

  private static void feed(OutputStream in, StdinWriter data) {
    try (in) {
      data.writeTo(in);
    } catch (IOException e) {
      // the program exited without reading its input: that is its right
    }
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
