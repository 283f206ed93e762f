package org.virthooks.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import org.virthooks.core.feed.EventFeed;
import org.virthooks.core.feed.FeedState;

/**
 * The state and reconnections of one {@link EventFeed}, tagged with its source's {@code adapter}
 * and {@code instance}.
 *
 * <ul>
 *   <li>{@code virthooks.feed.state} (gauge, tag {@code state}: {@code new}, {@code connecting},
 *       {@code connected}, {@code reconnecting}, {@code closed}): 1 for the state the feed is in,
 *       0 for the others.
 *   <li>{@code virthooks.feed.reconnections} (function counter): connections restored after a
 *       loss.
 * </ul>
 */
public final class EventFeedMetrics implements MeterBinder {
  private final EventFeed feed;
  private final Tags tags;

  /** Metrics of {@code feed}. */
  public EventFeedMetrics(EventFeed feed) {
    this(feed, Tags.empty());
  }

  /** Metrics of {@code feed}, with {@code tags} added to each meter. */
  public EventFeedMetrics(EventFeed feed, Iterable<Tag> tags) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.tags = Tags.of(tags)
        .and("adapter", feed.source().adapter(), "instance", feed.source().instance());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // one gauge per state rather than an ordinal: a dashboard can sum "connected" over feeds, and
    // nobody has to know what number stands for what
    for (FeedState s : FeedState.values()) {
      Gauge.builder("virthooks.feed.state", feed, f -> f.state() == s ? 1 : 0)
          .tags(tags.and("state", s.name().toLowerCase(Locale.ROOT)))
          .description("1 for the state the event feed is in, 0 for the others")
          .register(registry);
    }
    FunctionCounter.builder("virthooks.feed.reconnections", feed, EventFeed::reconnections)
        .tags(tags)
        .description("connections restored after a loss")
        .register(registry);
  }
}
