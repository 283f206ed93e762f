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
import org.virthooks.core.internal.Checks;
import org.virthooks.core.internal.RelayWire;
import org.virthooks.core.script.ScriptInvocation;
import org.virthooks.core.script.ScriptResult;

/**
 * Sends a call to a {@link RelayServer} from Java and applies an {@link UnreachablePolicy} when
 * the server cannot be reached or does not answer in time. The installed hook scripts use the
 * Perl client of {@link RelayClientScript} instead (a JVM would cost its start-up per call); this
 * one serves tests and Java entry points.
 */
public final class RelayClient {
  private final Path socket;
  private final Duration timeout;
  private final UnreachablePolicy policy;

  /** A client of the server at {@code socket}. */
  public RelayClient(Path socket, Duration timeout, UnreachablePolicy policy) {
    this.socket = Checks.notNull("socket", socket);
    this.timeout = Checks.notNull("timeout", timeout);
    this.policy = Checks.notNull("policy", policy);
  }

  /** Relays {@code call}; never throws for an unreachable or silent server, the policy answers. */
  public ScriptResult call(ScriptInvocation call) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "virthooks-relay-client-timer");
      t.setDaemon(true);
      return t;
    });
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ScheduledFuture<?> cut = timer.schedule(() -> {
        try {
          ch.close();
        } catch (IOException e) {
          // closing is all we wanted
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
        RelayWire.writeRequest(Channels.newOutputStream(ch), call);
        ch.shutdownOutput();
        return RelayWire.readResponse(Channels.newInputStream(ch));
      } catch (IOException e) {
        return unreachable(cut.isDone() ? "relay at " + socket + " did not answer within "
            + timeout.toMillis() + " ms" : "cannot reach the relay at " + socket + ": "
            + e.getMessage());
      } finally {
        cut.cancel(false);
      }
    } catch (IOException e) {
      return unreachable("cannot open a Unix socket: " + e.getMessage());
    } finally {
      timer.shutdownNow();
    }
  }

  private ScriptResult unreachable(String why) {
    return policy == UnreachablePolicy.REFUSE
        ? new ScriptResult(1, "", "virthooks: " + why + "; refusing\n", false)
        : new ScriptResult(0, "", "virthooks: warning: " + why + "; letting the operation go on\n",
            false);
  }
}
