package org.virthooks.libvirt;

import java.util.concurrent.atomic.AtomicLong;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.virthooks.libvirt.internal.NativeLibvirt;
import org.virthooks.libvirt.internal.QuietErrors;

/**
 * The one libvirt event loop of this JVM: libvirt's default event implementation, registered
 * once before any connection is opened, run on one daemon thread
 * ({@code virthooks-libvirt-event-loop}) that survives whatever a callback throws.
 *
 * <p>libvirt allows one event implementation per process, and it must be registered before the
 * first connection that wants events or keepalive; a registered loop that nobody runs silently
 * delivers nothing and lets keepalive drop remote connections. {@link LibvirtEventSource} calls
 * {@link #ensureRunning()} before it connects.
 *
 * <p><b>Sharing with an application that also uses libvirt-java:</b> call
 * {@link #ensureRunning()} once at start-up, before opening any {@code Connect}, and do not call
 * {@code Library.initEventLoop()} or {@code Library.runEventLoop()} yourself: libvirt-java's own
 * listeners ({@code Connect.addLifecycleListener}...) are then served by this thread too. An
 * application that already runs libvirt-java's loop on a thread of its own calls
 * {@link #useApplicationLoop()} instead, before any virthooks source starts; virthooks then starts
 * no thread and relies on that loop. Either way callbacks run on the loop thread and must be
 * quick: virthooks only maps and publishes there.
 *
 * <p>The loop is never stopped: the default implementation cannot be unregistered, and sources
 * deregister their callbacks before closing their connections, so an idle loop costs one thread
 * blocked in {@code poll}. It also replaces libvirt's default error handler, which prints every
 * error to stderr, with one that logs at debug level (errors still become
 * {@code LibvirtException}s).
 */
public final class LibvirtEventLoop {
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtEventLoop.class);
  /** The loop thread's name. */
  public static final String THREAD_NAME = "virthooks-libvirt-event-loop";

  private static final Object LOCK = new Object();
  private static final AtomicLong ITERATIONS = new AtomicLong();
  private static final AtomicLong FAILURES = new AtomicLong();
  private static boolean initialised;
  private static boolean external;
  private static Thread thread;

  private LibvirtEventLoop() {}

  /**
   * Loads libvirt, registers its default event implementation and starts the loop thread, once
   * per JVM; later calls return at once.
   *
   * @throws LibvirtUnavailableException when libvirt.so.0 cannot be loaded (package libvirt0)
   */
  public static void ensureRunning() {
    synchronized (LOCK) {
      if (initialised) {
        return;
      }
      NativeLibvirt.get(); // fails with the package name before libvirt-java's loader does
      try {
        if (!external) {
          QuietErrors.install();
          Library.initEventLoop();
          thread = new Thread(LibvirtEventLoop::run, THREAD_NAME);
          thread.setDaemon(true);
          thread.start();
        }
      } catch (LibvirtException e) {
        throw new IllegalStateException("cannot register libvirt's event loop: " + e.getMessage(),
            e);
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        throw new LibvirtUnavailableException(e);
      }
      initialised = true;
    }
  }

  /**
   * Declares that the application runs libvirt-java's event loop itself (it called
   * {@code Library.initEventLoop()} before any connection and runs {@code Library.runEventLoop()}
   * on a thread of its own). Call before any virthooks source starts.
   *
   * @throws IllegalStateException when virthooks already started its own loop
   */
  public static void useApplicationLoop() {
    synchronized (LOCK) {
      if (initialised && !external) {
        throw new IllegalStateException("virthooks already runs libvirt's event loop; "
            + "call useApplicationLoop() before any virthooks libvirt source starts");
      }
      external = true;
    }
  }

  /** True once {@link #ensureRunning()} succeeded. */
  public static boolean isRunning() {
    synchronized (LOCK) {
      return initialised;
    }
  }

  /** The loop thread, or null when the application runs the loop or it has not started. */
  public static Thread thread() {
    synchronized (LOCK) {
      return thread;
    }
  }

  /** How many loop iterations failed with an exception (each was logged and survived). */
  public static long failures() {
    return FAILURES.get();
  }

  private static void run() {
    while (true) {
      try {
        Library.processEvent();
        ITERATIONS.incrementAndGet();
      } catch (Throwable t) {
        // a callback or the loop itself failed: log and keep serving every other connection
        long n = FAILURES.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
          LOG.warn("libvirt event loop iteration failed ({} so far); going on", n, t);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          // the loop lives as long as the JVM: an interrupt does not stop it
          Thread.interrupted();
        }
      }
    }
  }
}
