package org.virthooks.kafka.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the loss markers of a sink have said and not yet delivered. A full spool drops its oldest
 * records, and those may include earlier loss markers: the loss they reported is then reported
 * again by the next marker, so the markers that arrive always account for every dropped record.
 * Thread-safe.
 */
public final class LossLedger {
  // markers appended and not known to be delivered, by spool sequence
  private final TreeMap<Long, Loss> unsent = new TreeMap<>();

  /** Records lost: how many, in which spool sequence ranges (ascending, disjoint). */
  public record Loss(long count, List<Range> ranges) {
    /** The lowest sequence lost. */
    public long from() {
      return ranges.get(0).from();
    }

    /** The highest sequence lost. */
    public long to() {
      return ranges.get(ranges.size() - 1).to();
    }

    /** {@code 1-11,15-22}. */
    public String rangesText() {
      return ranges.stream().map(r -> r.from() + "-" + r.to()).collect(Collectors.joining(","));
    }
  }

  /** Spool sequences {@code from..to}, inclusive. */
  public record Range(long from, long to) {}

  /**
   * The spool dropped {@code from..to} ({@code count} records): the loss the next marker reports,
   * with that of the markers the drop took.
   */
  public synchronized Loss dropped(long from, long to, long count) {
    Map<Long, Loss> taken = unsent.subMap(from, true, to, true);
    List<Range> ranges = new ArrayList<>();
    long total = count;
    for (Loss l : taken.values()) {
      ranges.addAll(l.ranges());
      total += l.count();
    }
    taken.clear();
    ranges.add(new Range(from, to));
    ranges.sort(Comparator.comparingLong(Range::from));
    return new Loss(total, List.copyOf(merge(ranges)));
  }

  /**
   * Kafka confirmed every record up to {@code sequence}: those markers are delivered. (Not pruned
   * by a drop's range instead: two threads' drops may reach the ledger out of order.)
   */
  public synchronized void delivered(long sequence) {
    unsent.headMap(sequence, true).clear();
  }

  /** The marker of {@code loss} was appended at {@code sequence}. */
  public synchronized void marked(long sequence, Loss loss) {
    unsent.put(sequence, loss);
  }

  private static List<Range> merge(List<Range> sorted) {
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      Range last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && r.from() <= last.to() + 1) {
        out.set(out.size() - 1, new Range(last.from(), Math.max(last.to(), r.to())));
      } else {
        out.add(r);
      }
    }
    return out;
  }
}
