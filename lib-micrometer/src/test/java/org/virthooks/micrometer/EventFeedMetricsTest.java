package org.virthooks.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.virthooks.core.SourceId;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.feed.FeedState;

class EventFeedMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final EventFeed feed = mock(EventFeed.class);

  @Test
  void oneGaugePerStateFollowsTheFeedAndTheCounterItsReconnections() {
    when(feed.source()).thenReturn(SourceId.of("ldm", "ldmd.example:6482"));
    when(feed.state()).thenReturn(FeedState.CONNECTING);
    new EventFeedMetrics(feed, Tags.of("site", "a")).bindTo(registry);

    assertThat(stateGauges()).isEqualTo("new=0 connecting=1 connected=0 reconnecting=0 closed=0");
    assertThat(reconnections()).isZero();

    when(feed.state()).thenReturn(FeedState.RECONNECTING);
    when(feed.reconnections()).thenReturn(3L);
    assertThat(stateGauges()).isEqualTo("new=0 connecting=0 connected=0 reconnecting=1 closed=0");
    assertThat(reconnections()).isEqualTo(3.0);
  }

  private String stateGauges() {
    StringBuilder b = new StringBuilder();
    for (String s : new String[] {"new", "connecting", "connected", "reconnecting", "closed"}) {
      double v = registry.get("virthooks.feed.state")
          .tags("adapter", "ldm", "instance", "ldmd.example:6482", "site", "a", "state", s)
          .gauge().value();
      b.append(b.length() == 0 ? "" : " ").append(s).append('=').append((long) v);
    }
    return b.toString();
  }

  private double reconnections() {
    return registry.get("virthooks.feed.reconnections")
        .tags("adapter", "ldm", "instance", "ldmd.example:6482", "site", "a")
        .functionCounter().count();
  }
}
