package org.virthooks.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.core.relay.UnreachablePolicy;
import org.virthooks.libvirt.DomainEventId;
import org.virthooks.libvirt.HookDriver;
import org.virthooks.libvirt.LibvirtEventSource;
import org.virthooks.libvirt.LibvirtHookInstaller;
import org.virthooks.libvirt.LibvirtHookMain;
import org.virthooks.libvirt.LibvirtUnavailableException;
import org.virthooks.libvirt.LibvirtVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virthooks libvirt}: listen to events, answer hook scripts, install them. */
@Command(name = "libvirt", mixinStandardHelpOptions = true,
    description = "libvirt: domain and network events, and hook scripts answered in Java.",
    subcommands = {LibvirtCommand.Listen.class, LibvirtCommand.Hook.class,
        LibvirtCommand.Install.class, LibvirtCommand.Uninstall.class})
public final class LibvirtCommand implements Runnable {
  /** The relay socket used when none is given. */
  static final Path DEFAULT_SOCKET = Path.of("/run/virthooks/relay.sock");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code listen}: JSON lines of every event of a libvirt connection. */
  @Command(name = "listen", mixinStandardHelpOptions = true,
      description = "Print one JSON line per libvirt event until interrupted; the connection is "
          + "re-established when the daemon restarts.")
  static final class Listen implements Callable<Integer> {
    @Option(names = "--uri", defaultValue = "qemu:///system",
        description = "The libvirt URI (default: ${DEFAULT-VALUE}).")
    String uri;

    @Option(names = "--events", split = ",", paramLabel = "ID",
        description = "Domain event IDs to register (lifecycle, reboot, device-added, ...; "
            + "default all) and 'network' for network events; comma separated.")
    List<String> events = new ArrayList<>();

    @Option(names = "--enrich", description = "Add state, reason and resources to domain events.")
    boolean enrich;

    @Option(names = "--count", defaultValue = "0",
        description = "Stop after this many events (default: never).")
    int count;

    @Option(names = "--seconds", defaultValue = "0",
        description = "Stop after this many seconds (default: never).")
    long seconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Released by tests (and the shutdown hook) to stop listening. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Set<DomainEventId> ids = EnumSet.noneOf(DomainEventId.class);
      boolean network = events.isEmpty();
      for (String e : events) {
        if (e.equalsIgnoreCase("network")) {
          network = true;
        } else {
          try {
            ids.add(DomainEventId.parse(e));
          } catch (IllegalArgumentException x) {
            err.println("listen: " + x.getMessage());
            return 2;
          }
        }
      }
      if (events.isEmpty()) {
        ids = EnumSet.allOf(DomainEventId.class);
      }
      AtomicInteger seen = new AtomicInteger();
      try (EventDispatcher dispatcher = EventDispatcher.create()) {
        // asynchronous: printing runs off libvirt's event-loop thread, which waits only when
        // thousands of lines are queued behind a slow stdout
        dispatcher.subscribe(VirtEvent.class).name("listen").async().register(e -> {
          synchronized (out) {
            out.println(EventJson.toJson(e));
            out.flush();
          }
          if (count > 0 && seen.incrementAndGet() >= count) {
            stop.countDown();
          }
        });
        try (UntilStopped until = new UntilStopped("virthooks-listen-stop", stop);
            LibvirtEventSource source = LibvirtEventSource.builder(uri, dispatcher)
                .domainEvents(ids).networkEvents(network).enrich(enrich).build().start()) {
          // a wrong URI should say so rather than retry forever; once connected, the feed
          // reconnects on its own
          if (!source.awaitConnected(java.time.Duration.ofSeconds(10))) {
            err.println("listen: cannot connect to libvirt at " + uri + ": "
                + source.lastFailure().orElse("no connection within 10 s"));
            return 1;
          }
          until.await(seconds);
        }
      } catch (LibvirtUnavailableException | InterruptedException e) {
        err.println("listen: " + e.getMessage());
        return 1;
      }
      return 0;
    }
  }

  /** {@code hook}: what the installed jvm launcher runs. */
  @Command(name = "hook", mixinStandardHelpOptions = true,
      description = "Answer one libvirt hook-script call in this JVM with the hooks found by "
          + "ServiceLoader (run by the launcher 'libvirt install --mode jvm' writes).")
  static final class Hook implements Callable<Integer> {
    @Option(names = "--deadline", description = "Deadline in seconds for standard input to "
        + "end, and each hook's default deadline.")
    String deadline;

    @Option(names = "--events-script", description = "Also run this executable at every point.")
    String eventsScript;

    @Option(names = "--events-set", description = "The object kinds the events script gets.")
    String eventsSet;

    @Option(names = "--events-timeout", description = "The events script's deadline in seconds.")
    String eventsTimeout;

    @Option(names = "--warm-up", description = "Answer sample calls with no hooks and exit "
        + "(run with -XX:ArchiveClassesAtExit to make a class-data sharing archive).")
    boolean warmUp;

    @Parameters(arity = "0..*", paramLabel = "ARG",
        description = "The script path, then libvirt's arguments: object operation sub-op extra.")
    List<String> args = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<String> a = new ArrayList<>();
      if (warmUp) {
        a.add("--warm-up");
      }
      add(a, "--deadline", deadline);
      add(a, "--events-script", eventsScript);
      add(a, "--events-set", eventsSet);
      add(a, "--events-timeout", eventsTimeout);
      a.add("--");
      a.addAll(args);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = LibvirtHookMain.run(a, System.in, new PrintStream(out, true),
          new PrintStream(err, true), System.getenv());
      spec.commandLine().getOut().print(out.toString(StandardCharsets.UTF_8));
      spec.commandLine().getOut().flush();
      spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
      spec.commandLine().getErr().flush();
      return code;
    }

    private static void add(List<String> a, String opt, String v) {
      if (v != null) {
        a.add(opt);
        a.add(v);
      }
    }
  }

  /** Options both install and uninstall take. */
  static class Where {
    @Option(names = "--driver", required = true,
        description = "qemu, lxc, libxl, bhyve, network or daemon.")
    String driver;

    @Option(names = "--name", defaultValue = LibvirtHookInstaller.DEFAULT_NAME,
        description = "The script's file name in <driver>.d (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--hooks-dir", defaultValue = "/etc/libvirt/hooks",
        description = "libvirt's hooks directory (default: ${DEFAULT-VALUE}).")
    Path hooksDir;

    HookDriver driver(PrintWriter err) {
      return HookDriver.byName(driver).orElseGet(() -> {
        err.println("unknown --driver '" + driver
            + "' (expected qemu, lxc, libxl, bhyve, network or daemon)");
        return null;
      });
    }
  }

  /** {@code install}: writes the hook script. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Install virthooks as a libvirt hook script in <hooks-dir>/<driver>.d/; "
          + "idempotent, never replaces a script virthooks did not write.")
  static final class Install extends Where implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "relay",
        description = "relay: forward each call to 'virthooks relay serve' or your application's "
            + "relay server (milliseconds); jvm: a fresh JVM per call (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--socket", description = "The relay server's socket (relay mode; default "
        + "/run/virthooks/relay.sock).")
    Path socket;

    @Option(names = "--unreachable", defaultValue = "proceed",
        description = "When the relay server is down: proceed (with a warning; default, so that "
            + "a stopped management tool does not stop every guest) or refuse.")
    String unreachable;

    @Option(names = "--timeout", defaultValue = "30",
        description = "Seconds the relay client waits for an answer (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--deadline", description = "jvm mode: deadline in s for stdin to end, and "
        + "each hook's default deadline.")
    String deadline;

    @Option(names = "--events-script", description = "jvm mode: also run this executable "
        + "(seed 001's events script) at every point; in relay mode give it to 'relay serve'.")
    String eventsScript;

    @Option(names = "--events-set", description = "The object kinds the events script gets "
        + "(default: daemon domain network).")
    String eventsSet;

    @Option(names = "--libvirt-version", defaultValue = "auto", paramLabel = "auto|X.Y.Z",
        description = "The daemon's libvirt version: before 6.5 libvirt runs only the top-level "
            + "<hooks-dir>/<driver>, so a forwarder to the .d script is written there too; "
            + "auto asks the installed daemon (libvirtd --version; default: ${DEFAULT-VALUE}).")
    String libvirtVersion;

    @CommandLine.Mixin
    LauncherJvm jvm;

    @Option(names = "--cds", paramLabel = "FILE", description = "jvm mode: write an application "
        + "class-data sharing archive to FILE now and start every call with it (start-up drops "
        + "by about 40 %%).")
    Path cds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      HookDriver d = driver(err);
      if (d == null) {
        return 2;
      }
      LibvirtHookInstaller.Layout layout;
      if (libvirtVersion.equalsIgnoreCase("auto")) {
        Optional<LibvirtVersion> v = LibvirtVersion.ofInstalledDaemon();
        if (v.isEmpty()) {
          // the layout of every daemon since 6.5 (2020); an older one needs the option
          err.println("install: warning: no installed libvirt daemon told its version; writing "
              + "the .d script only (give --libvirt-version for a daemon older than 6.5)");
        }
        layout = v.map(LibvirtHookInstaller.Layout::of).orElse(LibvirtHookInstaller.Layout.DOT_D);
      } else {
        try {
          layout = LibvirtHookInstaller.Layout.of(LibvirtVersion.parse(libvirtVersion));
        } catch (IllegalArgumentException e) {
          err.println("install: --libvirt-version: " + e.getMessage());
          return 2;
        }
      }
      try {
        LibvirtHookInstaller.Result r;
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "relay" -> {
            if (eventsScript != null) {
              err.println("install: in relay mode the relay server runs the events script: "
                  + "give --events-script to 'virthooks relay serve'");
              return 2;
            }
            UnreachablePolicy policy;
            try {
              policy = UnreachablePolicy.valueOf(unreachable.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              err.println("install: --unreachable must be proceed or refuse");
              return 2;
            }
            r = LibvirtHookInstaller.installRelay(hooksDir, d, name,
                socket != null ? socket : DEFAULT_SOCKET, policy, Duration.ofSeconds(timeout),
                layout);
          }
          case "jvm" -> {
            Path jarPath = jvm.jarPath();
            String javaCmd = jvm.javaCommand();
            // start-up is the cost of every call: C1 only, serial GC, class-data sharing
            List<String> cmd = new ArrayList<>(List.of(javaCmd, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xshare:auto"));
            if (cds != null) {
              String made = dumpArchive(javaCmd, jarPath, cds);
              if (made == null) {
                cmd.add("-XX:SharedArchiveFile=" + cds.toAbsolutePath());
              } else {
                err.println("install: no class-data sharing archive (" + made + "); "
                    + "installing without it");
              }
            }
            cmd.addAll(List.of("-jar", jarPath.toString(), "libvirt", "hook"));
            if (deadline != null) {
              cmd.addAll(List.of("--deadline", deadline));
            }
            if (eventsScript != null) {
              cmd.addAll(List.of("--events-script", eventsScript));
              if (eventsSet != null) {
                cmd.addAll(List.of("--events-set", eventsSet));
              }
            }
            cmd.add("--");
            r = LibvirtHookInstaller.installJvm(hooksDir, d, name, cmd, layout);
          }
          default -> {
            err.println("install: unknown --mode '" + mode + "' (expected relay or jvm)");
            return 2;
          }
        }
        out.println(r.install().message());
        return 0;
      } catch (IOException | IllegalArgumentException e) {
        err.println("install: " + e.getMessage());
        return 1;
      }
    }

    /** Runs the warm-up with -XX:ArchiveClassesAtExit; null on success, else why not. */
    static String dumpArchive(String javaCmd, Path jarPath, Path archive) {
      try {
        Path dir = archive.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        Process p = new ProcessBuilder(javaCmd, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath(), "-jar",
            jarPath.toAbsolutePath().toString(), "libvirt", "hook", "--warm-up")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return "the warm-up did not finish within 120 s";
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(archive)) {
          return "the warm-up exited with status " + p.exitValue();
        }
        return null;
      } catch (IOException e) {
        return e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
  }

  /** {@code uninstall}: removes the hook script if virthooks wrote it. */
  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = "Remove a hook script that 'libvirt install' wrote.")
  static final class Uninstall extends Where implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      HookDriver d = driver(err);
      if (d == null) {
        return 2;
      }
      return InstallerCall.print(spec, "uninstall",
          () -> LibvirtHookInstaller.uninstall(hooksDir, d, name).message());
    }
  }
}
