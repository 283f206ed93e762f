package org.virthooks.kafka.testing;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KafkaBroker} for a whole test class: started before its first test, killed and
 * deleted after its last, whatever happened in between.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.broker().bootstrapServers() ...
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private final UnaryOperator<KafkaBroker.Builder> settings;
  private volatile KafkaBroker broker;

  /** A broker with the defaults. */
  public KafkaBrokerExtension() {
    this(b -> b);
  }

  /** A broker with {@code settings} applied to its builder. */
  public KafkaBrokerExtension(UnaryOperator<KafkaBroker.Builder> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    broker = settings.apply(KafkaBroker.builder()).start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    KafkaBroker b = broker;
    broker = null;
    if (b != null) {
      b.close();
    }
  }

  /** The class's broker. */
  public KafkaBroker broker() {
    KafkaBroker b = broker;
    if (b == null) {
      throw new IllegalStateException("no broker: register the extension on a static field");
    }
    return b;
  }
}
