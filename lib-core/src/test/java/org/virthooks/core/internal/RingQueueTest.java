package org.virthooks.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RingQueueTest {
  @Test
  void capacityRoundsUpToAPowerOfTwoAndFullQueuesRefuse() {
    RingQueue<Integer> q = new RingQueue<>(5);
    assertThat(q.capacity()).isEqualTo(8);
    for (int i = 0; i < 8; i++) {
      assertThat(q.offer(i)).isTrue();
    }
    assertThat(q.offer(99)).isFalse();
    assertThat(q.size()).isEqualTo(8);
    assertThat(q.poll()).isZero();
    assertThat(q.pollSingleConsumer()).isEqualTo(1);
    assertThat(q.clear()).isEqualTo(6);
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.poll()).isNull();
    assertThat(new RingQueue<>(4).capacity()).isEqualTo(4);
    assertThat(new RingQueue<>(1).capacity()).isEqualTo(2);
  }

  @Test
  void manyProducersAndConsumersSeeEveryElementExactlyOnce() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    RingQueue<Integer> q = new RingQueue<>(64);
    ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
    AtomicBoolean done = new AtomicBoolean();
    List<Future<BitSet>> consumers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      consumers.add(pool.submit(() -> {
        BitSet seen = new BitSet();
        while (true) {
          Integer v = q.poll();
          if (v == null) {
            if (done.get() && q.isEmpty()) {
              return seen;
            }
            Thread.onSpinWait();
            continue;
          }
          if (seen.get(v)) {
            throw new AssertionError("twice: " + v);
          }
          seen.set(v);
        }
      }));
    }
    List<Future<?>> ps = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      ps.add(pool.submit(() -> {
        for (int i = 0; i < perProducer; i++) {
          while (!q.offer(base + i)) {
            Thread.onSpinWait();
          }
        }
      }));
    }
    for (Future<?> f : ps) {
      f.get(60, TimeUnit.SECONDS);
    }
    done.set(true);
    BitSet all = new BitSet();
    for (Future<BitSet> f : consumers) {
      BitSet s = f.get(60, TimeUnit.SECONDS);
      assertThat(all.intersects(s)).isFalse();
      all.or(s);
    }
    pool.shutdown();
    assertThat(all.cardinality()).isEqualTo(producers * perProducer);
  }
}
