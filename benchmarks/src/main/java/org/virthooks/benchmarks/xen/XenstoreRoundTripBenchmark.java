package org.virthooks.benchmarks.xen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.virthooks.xen.XenstoreClient;
import org.virthooks.xen.testing.XenstoreServer;

/**
 * Round trips of the xenstore client against the in-memory server on one Unix-socket
 * connection, one request in flight at a time (as a hotplug script issues them). Target: at
 * least 20,000 reads/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class XenstoreRoundTripBenchmark {
  private Path dir;
  private XenstoreServer server;
  private XenstoreClient client;

  /** Starts the server in a temporary directory and connects. */
  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("virthooks-xs-bench");
    server = XenstoreServer.start(dir.resolve("xs.sock"));
    client = XenstoreClient.connect(server.socket());
    client.write("backend/vbd/1/51712/params", "/var/lib/xen/images/guest.img");
  }

  /** Stops both and removes the directory. */
  @TearDown
  public void tearDown() throws IOException {
    client.close();
    server.close();
    Files.deleteIfExists(dir);
  }

  /** One READ request and its reply. */
  @Benchmark
  public String read() throws IOException {
    return client.read("backend/vbd/1/51712/params");
  }

  /** One WRITE request and its reply. */
  @Benchmark
  public void write() throws IOException {
    client.write("backend/vbd/1/51712/state", "4");
  }
}
