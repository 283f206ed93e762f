package org.virthooks.core.relay;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.virthooks.core.hook.DocumentLimit;
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.RelayWire;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * Sends a call to a {@link RelayServer} from Java, with the installed Perl client's semantics
 * (see {@link RelayClientScript}): the {@link UnreachablePolicy} answers only when the server
 * cannot be reached at all; once connected, any failure (a lost connection, no answer within the
 * timeout, a truncated answer) refuses the calls its {@link DecisionPoints} name and follows the
 * policy at the others; a document over {@link DocumentLimit} is not sent. The installed hook
 * scripts use the Perl client instead (a JVM would cost its start-up per call); this one serves
 * tests and Java entry points.
 */
public final class RelayClient {
  private final Path socket;
  private final Duration timeout;
  private final UnreachablePolicy policy;
  private final DecisionPoints decisions;

  /** A client of the server at {@code socket} for which every call is a decision point. */
  public RelayClient(Path socket, Duration timeout, UnreachablePolicy policy) {
    this(socket, timeout, policy, DecisionPoints.allCalls());
  }

  /** A client of the server at {@code socket}. */
  public RelayClient(Path socket, Duration timeout, UnreachablePolicy policy,
      DecisionPoints decisions) {
    this.socket = Checks.notNull("socket", socket);
    this.timeout = Checks.notNull("timeout", timeout);
    this.policy = Checks.notNull("policy", policy);
    this.decisions = Checks.notNull("decisions", decisions);
  }

  /** Relays {@code call}; never throws: failures are answered as the class comment says. */
  public ScriptResult call(ScriptInvocation call) {
    boolean decides = decisions.decides(call.argv());
    if (DocumentLimit.isOver(call.stdin().length)) {
      return failed(decides, DocumentLimit.overLimit(call.stdin().length));
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "virthooks-relay-client-timer");
      t.setDaemon(true);
      return t;
    });
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      // set before the channel is closed: a connect failing because of the timeout is a
      // timeout (refused at decision points), never "unreachable"
      java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
      ScheduledFuture<?> cut = timer.schedule(() -> {
        late.set(true);
        try {
          ch.close();
        } catch (IOException e) {
          // closing is all we wanted
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        try {
          ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
          return late.get()
              ? failed(decides, "the relay at " + socket + " accepted no connection within "
                  + timeout.toMillis() + " ms")
              : unreachable("cannot reach the relay at " + socket + ": " + e.getMessage());
        }
        try {
          RelayWire.writeRequest(Channels.newOutputStream(ch), call);
          ch.shutdownOutput();
          ScriptResult r = RelayWire.readResponse(Channels.newInputStream(ch));
          // as the Perl client and a shell: an exit status is 0..255
          return r.exitCode() >= 0 && r.exitCode() <= 255 ? r
              : new ScriptResult(1, r.stdout(), r.stderr(), r.timedOut(), r.outputCut());
        } catch (IOException e) {
          return failed(decides, late.get() ? "the relay at " + socket
              + " did not answer within " + timeout.toMillis() + " ms"
              : "the relay call failed: " + e.getMessage());
        }
      } finally {
        cut.cancel(false);
      }
    } catch (IOException e) {
      return failed(decides, "cannot open a Unix socket: " + e.getMessage());
    } finally {
      timer.shutdownNow();
    }
  }

  private ScriptResult failed(boolean decides, String why) {
    return decides ? new ScriptResult(1, "", "virthooks: " + why + "; refusing\n", false)
        : unreachable(why);
  }

  private ScriptResult unreachable(String why) {
    return policy == UnreachablePolicy.REFUSE
        ? new ScriptResult(1, "", "virthooks: " + why + "; refusing\n", false)
        : new ScriptResult(0, "", "virthooks: warning: " + why + "; letting the operation go on\n",
            false);
  }
}
