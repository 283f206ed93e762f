package org.virthooks.libvirt.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code libvirtd} (with its {@code virtlogd}) for integration tests, run as root without
 * systemd: both in the foreground as child processes of this JVM, on their default Unix sockets,
 * their output in a log directory, stopped by PID. {@code qemu:///system} then works as on a
 * host. Needs Debian's libvirt-daemon-system, libvirt-daemon-driver-qemu and qemu-system-x86.
 *
 * <p>The first {@code virsh define} after installing QEMU takes tens of seconds while libvirt
 * probes QEMU's capabilities (cached in /var/cache/libvirt afterwards): share one daemon per test
 * class.
 */
public final class Libvirtd implements AutoCloseable {
  /** The socket of {@code qemu:///system}. */
  public static final Path SOCKET = Path.of("/run/libvirt/libvirt-sock");
  /** The URI. */
  public static final String URI = "qemu:///system";

  private final Path logDir;
  private Process virtlogd;
  private Process libvirtd;
  private int starts;

  private Libvirtd(Path logDir) {
    this.logDir = logDir;
  }

  /**
   * Starts virtlogd and libvirtd and waits until libvirtd answers on its socket.
   *
   * @throws IOException when one is already running (this class stops only what it started),
   *     when they cannot start, or when libvirtd does not listen within {@code timeout}
   */
  public static Libvirtd start(Path logDir, Duration timeout) throws IOException {
    Files.createDirectories(logDir);
    for (String d : List.of("libvirtd", "virtlogd")) {
      Optional<ProcessHandle> running = running(d);
      if (running.isPresent()) {
        throw new IOException(d + " is already running (pid " + running.get().pid()
            + "); stop it first: these tests start their own");
      }
    }
    Libvirtd l = new Libvirtd(logDir);
    try {
      l.virtlogd = new ProcessBuilder("/usr/sbin/virtlogd")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("virtlogd.log").toFile()))
          .start();
      l.startDaemon(timeout);
    } catch (IOException | RuntimeException e) {
      l.close();
      throw e;
    }
    return l;
  }

  private static Optional<ProcessHandle> running(String name) {
    return ProcessHandle.allProcesses().filter(p -> p.info().command()
        .map(c -> c.endsWith("/" + name)).orElse(false)).findFirst();
  }

  /** Starts libvirtd again after {@link #kill} or {@link #stopDaemon}, and waits for its socket. */
  public void startDaemon(Duration timeout) throws IOException {
    if (libvirtd != null && libvirtd.isAlive()) {
      throw new IllegalStateException("libvirtd is running (pid " + libvirtd.pid() + ")");
    }
    starts++;
    libvirtd = new ProcessBuilder("/usr/sbin/libvirtd")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("libvirtd.log").toFile()))
        .start();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!libvirtd.isAlive()) {
        throw new IOException("libvirtd exited with status " + libvirtd.exitValue() + "; see "
            + logDir.resolve("libvirtd.log"));
      }
      if (accepts()) {
        return;
      }
      sleep(50);
    }
    throw new IOException("libvirtd did not listen on " + SOCKET + " within " + timeout);
  }

  private static boolean accepts() {
    if (!Files.exists(SOCKET)) {
      return false;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(SOCKET));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** libvirtd's PID. */
  public long pid() {
    return libvirtd.pid();
  }

  /** How many times libvirtd was started. */
  public int starts() {
    return starts;
  }

  /** Sends SIGHUP (libvirtd reloads its drivers and runs the daemon hook's reload). */
  public void sighup() throws IOException {
    signal("HUP");
  }

  /** Sends SIGKILL and waits for libvirtd to be gone: a crash; guests keep running. */
  public void kill(Duration timeout) {
    libvirtd.destroyForcibly();
    waitFor(libvirtd, timeout);
  }

  /** Sends SIGTERM and waits: a clean shutdown (the daemon hook's shutdown runs). */
  public void stopDaemon(Duration timeout) {
    libvirtd.destroy();
    if (!waitFor(libvirtd, timeout)) {
      libvirtd.destroyForcibly();
      waitFor(libvirtd, Duration.ofSeconds(5));
    }
  }

  private void signal(String sig) throws IOException {
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(libvirtd.pid())).start();
    if (!waitFor(k, Duration.ofSeconds(5)) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + libvirtd.pid() + " failed");
    }
  }

  /**
   * Kills the QEMU processes of guests whose names start with {@code prefix} (left running by a
   * failed test, or by a libvirtd that was killed), found through their command lines.
   */
  public static List<Long> killGuests(String prefix) {
    List<Long> killed = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system")
            && c.contains("guest=" + prefix)).orElse(false))
        .forEach(p -> {
          p.destroyForcibly();
          killed.add(p.pid());
        });
    return killed;
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills the QEMU processes libvirtd starts to probe capabilities ({@code -machine none} with a
   * QMP socket under /var/lib/libvirt/qemu); they daemonize, so a libvirtd stopped during a probe
   * leaves them behind.
   */
  public static List<Long> killProbes() {
    List<Long> killed = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system")
            && c.contains("/var/lib/libvirt/qemu/qmp-") && c.contains("-machine none"))
            .orElse(false))
        .forEach(p -> {
          p.destroyForcibly();
          killed.add(p.pid());
        });
    return killed;
  }

  /**
   * Stops libvirtd (SIGTERM, then SIGKILL after 15 s), then virtlogd, by their PIDs, and the
   * capability probes libvirtd may have left.
   */
  @Override
  public void close() {
    if (libvirtd != null && libvirtd.isAlive()) {
      stopDaemon(Duration.ofSeconds(15));
    }
    if (libvirtd != null) {
      killProbes();
    }
    if (virtlogd != null && virtlogd.isAlive()) {
      virtlogd.destroy();
      if (!waitFor(virtlogd, Duration.ofSeconds(5))) {
        virtlogd.destroyForcibly();
        waitFor(virtlogd, Duration.ofSeconds(5));
      }
    }
  }
}
