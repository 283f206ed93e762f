package org.virthooks.cli;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.virthooks.core.EventDispatcher;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.hook.HookRegistry;
import org.virthooks.kafka.KafkaEventSink;
import org.virthooks.kafka.KafkaSinkMetrics;
import org.virthooks.micrometer.EventDispatcherMetrics;
import org.virthooks.micrometer.EventFeedMetrics;
import org.virthooks.micrometer.HookRegistryMetrics;

/**
 * The agent's metrics for Prometheus on {@code http://127.0.0.1:PORT/metrics}: loopback only,
 * since the numbers name hosts and guests; a node exporter or a local scraper forwards them.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Serves on 127.0.0.1:{@code port} (0 picks a free one). */
  static MetricsEndpoint start(int port) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        16);
    MetricsEndpoint m = new MetricsEndpoint(s);
    s.createContext("/metrics", ex -> {
      byte[] body = m.registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    });
    s.start();
    return m;
  }

  /** The port served. */
  int port() {
    return server.getAddress().getPort();
  }

  void bind(EventDispatcher events) {
    bind(new EventDispatcherMetrics(events));
  }

  void bind(EventFeed feed) {
    bind(new EventFeedMetrics(feed));
  }

  void bind(HookRegistry hooks) {
    bind(new HookRegistryMetrics(hooks));
  }

  void bind(KafkaEventSink sink) {
    bind(new KafkaSinkMetrics(sink, List.of(Tag.of("sink", "kafka"))));
  }

  private void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
