package org.virthooks.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code virthooks kafka}: what an operator runs to see what reaches the topic. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Look at what the agents send to Kafka.",
    subcommands = {KafkaCommand.Tail.class})
public final class KafkaCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tail}: one JSON line per record, with its CloudEvents attributes. */
  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = {"Print every record of a topic as a JSON line: partition, offset, key, "
          + "the CloudEvents attributes (ce_ headers) and the event. Reads every partition "
          + "without a consumer group, so it commits nothing and disturbs no consumer."})
  static final class Tail implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,...]",
        description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "The topic.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest record kept "
        + "(default: only records that arrive from now on).")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    long max;

    @Option(names = "--idle", paramLabel = "SECONDS",
        description = "Stop after this many seconds without a record (default: never).")
    long idleSeconds;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
        description = "A consumer property (TLS, SASL), repeatable.")
    List<String> properties = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Properties p = new Properties();
      for (String kv : properties) {
        int eq = kv.indexOf('=');
        if (eq < 1) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--property wants KEY=VALUE: '" + kv + "'");
        }
        p.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
      }
      p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p,
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> parts = partitions(consumer);
        if (parts.isEmpty()) {
          err.println("kafka tail: topic '" + topic + "' does not exist on " + bootstrap);
          return 1;
        }
        consumer.assign(parts);
        if (fromBeginning) {
          consumer.seekToBeginning(parts);
        } else {
          consumer.seekToEnd(parts);
        }
        long seen = 0;
        long idleSince = System.nanoTime();
        try (UntilStopped until = new UntilStopped("virthooks-kafka-tail-stop")) {
          while (!until.stopped()) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
              if (idleSeconds > 0
                  && System.nanoTime() - idleSince > Duration.ofSeconds(idleSeconds).toNanos()) {
                return 0;
              }
              continue;
            }
            idleSince = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> r : records) {
              out.println(line(r));
              if (max > 0 && ++seen >= max) {
                out.flush();
                return 0;
              }
            }
            out.flush();
          }
        }
        return 0;
      } catch (KafkaException e) {
        err.println("kafka tail: " + e.getMessage());
        return 1;
      }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
      List<TopicPartition> out = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos != null) {
        for (PartitionInfo i : infos) {
          out.add(new TopicPartition(i.topic(), i.partition()));
        }
      }
      return out;
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** One record as a JSON line; a value that is not JSON is given as a string. */
  static String line(ConsumerRecord<byte[], byte[]> r) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("partition", r.partition());
      g.writeNumberField("offset", r.offset());
      g.writeStringField("key", r.key() == null ? null
          : new String(r.key(), StandardCharsets.UTF_8));
      g.writeObjectFieldStart("ce");
      for (Header h : r.headers()) {
        if (h.key().startsWith("ce_") || h.key().equals("content-type")) {
          g.writeStringField(h.key(), h.value() == null ? null
              : new String(h.value(), StandardCharsets.UTF_8));
        }
      }
      g.writeEndObject();
      String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
      if (value != null && looksLikeJsonObject(value)) {
        g.writeFieldName("value");
        g.writeRawValue(value.strip());
      } else {
        g.writeStringField("value", value);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string failed", e);
    }
    return w.toString();
  }

  // the sink writes one JSON object per value; anything else (a stranger's record) is quoted, so
  // that the line stays valid JSON whatever the topic holds
  private static boolean looksLikeJsonObject(String v) {
    String s = v.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      return false;
    }
    // a full parse of exactly one object: writeRawValue must not be handed broken JSON
    try (var p = JSON.createParser(s)) {
      p.nextToken();
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
