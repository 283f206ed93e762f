package org.virthooks.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.EventStamper;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;
import org.virthooks.core.json.EventJson;
import org.virthooks.ldm.LdmClientConfig;
import org.virthooks.ldm.LdmDocuments;
import org.virthooks.ldm.LdmEventCategory;
import org.virthooks.ldm.LdmEventSource;
import org.virthooks.ldm.LdmEventTranslator;
import org.virthooks.ldm.LdmLimits;
import org.virthooks.ldm.LdmParseException;
import org.virthooks.ldm.LdmTrust;
import org.virthooks.ldm.LdmXml;
import org.virthooks.ldm.model.LdmEvent;
import org.virthooks.ldm.model.LdmMessage;
import org.virthooks.ldm.testing.LdmdSimulator;
import org.virthooks.ldm.testing.SeedEvents;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code virthooks ldm}: decode LDM documents, listen to an ldmd, run the ldmd simulator. */
@Command(name = "ldm", mixinStandardHelpOptions = true,
    description = "Oracle LDoms Manager (ldmd) XML interface.",
    subcommands = {LdmCommand.Decode.class, LdmCommand.Listen.class, LdmCommand.Simulate.class})
public final class LdmCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code decode}: LDM documents from files or stdin to JSON lines. */
  @Command(name = "decode", mixinStandardHelpOptions = true,
      description = {"Print one JSON line per event of the LDM_event documents read "
          + "(several documents per input allowed; '-' or nothing reads stdin).",
          "A malformed document is reported with line and column on stderr and the exit status "
          + "is 2; the other documents are still decoded. Input is taken as UTF-8."})
  static final class Decode implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Files to read; stdin when none or '-'.")
    List<String> files = new ArrayList<>();

    @Option(names = "--max-bytes", description = "Largest document accepted (default ${DEFAULT-VALUE}).")
    int maxBytes = LdmLimits.DEFAULT_MAX_DOCUMENT_BYTES;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LdmXml xml = LdmXml.withLimits(LdmLimits.DEFAULTS.withMaxDocumentBytes(maxBytes));
      List<String> inputs = files.isEmpty() ? List.of("-") : files;
      boolean bad = false;
      for (String name : inputs) {
        String label = name.equals("-") ? "stdin" : name;
        LdmEventTranslator translator = new LdmEventTranslator(
            new EventStamper(SourceId.of("ldm", label)));
        try (InputStream in = name.equals("-") ? System.in : Files.newInputStream(Path.of(name))) {
          bad |= decode(in, label, xml, translator, out, err);
        } catch (IOException e) {
          err.println(label + ": " + e.getMessage());
          bad = true;
        }
      }
      out.flush();
      return bad ? 2 : 0;
    }

    /** Decodes one input; true when something in it was malformed. */
    private static boolean decode(InputStream in, String label, LdmXml xml,
        LdmEventTranslator translator, PrintWriter out, PrintWriter err) throws IOException {
      int errors = LdmDocuments.readAll(in, xml, new LdmDocuments.Handler() {
        @Override
        public void document(LdmMessage m) {
          if (m instanceof LdmEvent e) {
            for (VirtEvent v : translator.translate(e)) {
              out.println(EventJson.toJson(v));
            }
          }
        }

        @Override
        public void malformed(LdmParseException e) {
          err.println(label + ":" + e.line() + ":" + e.column() + ": " + e.getMessage());
        }
      });
      return errors > 0;
    }
  }

  /** Certificate trust choices: a pin or the loudly named insecure switch. */
  static final class Trust {
    @Option(names = "--pin", paramLabel = "SHA256",
        description = "Trust only the certificate with this SHA-256 fingerprint (hex, colons allowed).")
    String pin;

    @Option(names = "--insecure",
        description = "Trust ANY certificate (lab use only: anyone on the path can read the traffic).")
    boolean insecure;
  }

  /** {@code listen}: JSON lines from a live ldmd until interrupted. */
  @Command(name = "listen", mixinStandardHelpOptions = true,
      description = {"Connect to ldmd, register for events and print one JSON line per event "
          + "until interrupted. Progress (migration-process) events come with hardware or all.",
          "Without --pin or --insecure the JVM trust store is used."})
  static final class Listen implements Callable<Integer> {
    @Option(names = "--host", required = true, description = "ldmd host.")
    String host;

    @Option(names = "--port", description = "ldmd XMPP port (default ${DEFAULT-VALUE}).")
    int port = LdmClientConfig.DEFAULT_PORT;

    @Option(names = "--user", description = "SASL PLAIN user (remote mode); none means local mode.")
    String user;

    @Option(names = "--password-file", description = "File whose first line is the password.")
    Path passwordFile;

    @ArgGroup(exclusive = true)
    Trust trust;

    @Option(names = "--events", split = ",", paramLabel = "CATEGORY",
        description = "domain, hardware, resource or all (default all).")
    List<String> events = new ArrayList<>(List.of("all"));

    @Option(names = "--for", hidden = true, description = "Stop after this many seconds (tests).")
    long seconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if ((user == null) != (passwordFile == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--user and --password-file go together");
      }
      EnumSet<LdmEventCategory> categories = EnumSet.noneOf(LdmEventCategory.class);
      for (String e : events) {
        try {
          categories.add(LdmEventCategory.parse(e));
        } catch (IllegalArgumentException bad) {
          throw new CommandLine.ParameterException(spec.commandLine(), bad.getMessage());
        }
      }
      LdmClientConfig.Builder b = LdmClientConfig.builder(host).port(port);
      if (user != null) {
        b.credentials(user, passwordFile);
      }
      if (trust != null && trust.pin != null) {
        b.trust(LdmTrust.pinnedSha256(trust.pin));
      } else if (trust != null && trust.insecure) {
        b.trust(LdmTrust.insecureTrustAnyCertificate());
      }
      PrintWriter out = spec.commandLine().getOut();
      try (UntilStopped until = new UntilStopped("ldm-listen-stop");
          LdmEventSource source = LdmEventSource.builder(b.build(), e -> {
            synchronized (out) {
              out.println(EventJson.toJson(e));
              out.flush();
            }
          }).categories(categories).build()) {
        source.start();
        until.await(seconds);
      }
      return 0;
    }
  }

  /** {@code simulate}: the ldmd simulator with a scripted scenario. */
  @Command(name = "simulate", mixinStandardHelpOptions = true,
      description = "Run the ldmd simulator on loopback and send every event of the LDoms guide in "
          + "turn to registered clients, until interrupted.")
  static final class Simulate implements Callable<Integer> {
    @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = LdmClientConfig.DEFAULT_PORT;

    @Option(names = "--interval", description = "Milliseconds between events (default ${DEFAULT-VALUE}).")
    long intervalMillis = 1000;

    @Option(names = "--for", hidden = true, description = "Stop after this many seconds (tests).")
    long seconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (LdmdSimulator sim = LdmdSimulator.builder().port(port).start()) {
        out.println("ldmd simulator on " + sim.host() + ":" + sim.port());
        out.println("certificate SHA-256 " + sim.certificateSha256());
        out.println("try: virthooks ldm listen --host " + sim.host() + " --port " + sim.port()
            + " --pin " + sim.certificateSha256());
        out.flush();
        long end = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        int i = 0;
        while (System.nanoTime() < end) {
          String action = SeedEvents.ALL.get(i++ % SeedEvents.ALL.size());
          int n = sim.publish(SeedEvents.event(action, "ldg" + (i % 3 + 1)));
          if (n > 0) {
            out.println("sent " + action + " to " + n + " client(s)");
            out.flush();
          }
          Thread.sleep(Duration.ofMillis(Math.max(1, intervalMillis)).toMillis());
        }
      }
      return 0;
    }
  }
}
