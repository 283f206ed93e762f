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
  void theMpscRingIsBoundedAndFifo() {
    MpscRing<Integer> q = new MpscRing<>(3);
    assertThat(q.capacity()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(q.offer(i)).isTrue();
    }
    assertThat(q.offer(4)).isFalse();
    assertThat(q.size()).isEqualTo(4);
    assertThat(q.poll()).isZero();
    assertThat(q.offer(4)).isTrue(); // room again once the consumer moved on
    assertThat(q.poll()).isEqualTo(1);
    assertThat(q.clear()).isEqualTo(3);
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.poll()).isNull();
  }

  @Test
  void theMpscRingHandsEveryElementToItsConsumerOnceAndInEachProducersOrder() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
    MpscRing<Long> q = new MpscRing<>(64);
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    for (int p = 0; p < producers; p++) {
      long base = (long) p << 32;
      pool.submit(() -> {
        for (int i = 0; i < perProducer; i++) {
          while (!q.offer(base + i)) {
            Thread.yield(); // more threads than cores: let the consumer run
          }
        }
      });
    }
    long[] next = new long[producers];
    long received = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (received < (long) producers * perProducer && System.nanoTime() < end) {
      Long v = q.poll();
      if (v == null) {
        Thread.yield();
        continue;
      }
      int p = (int) (v >>> 32);
      assertThat(v & 0xffffffffL).isEqualTo(next[p]);
      next[p]++;
      received++;
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(received).isEqualTo((long) producers * perProducer);
    assertThat(q.poll()).isNull();
  }

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
    assertThat(q.poll()).isEqualTo(1);
    assertThat(q.clear()).isEqualTo(6);
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.poll()).isNull();
    assertThat(new RingQueue<>(4).capacity()).isEqualTo(4);
    assertThat(new RingQueue<>(1).capacity()).isEqualTo(2);
  }

  @Test
  void manyProducersAndConsumersSeeEveryElementExactlyOnce() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
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
            Thread.yield();
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
            Thread.yield(); // more threads than cores: let the consumer run
          }
        }
      }));
    }
    for (Future<?> f : ps) {
      f.get(120, TimeUnit.SECONDS);
    }
    done.set(true);
    BitSet all = new BitSet();
    for (Future<BitSet> f : consumers) {
      BitSet s = f.get(120, TimeUnit.SECONDS);
      assertThat(all.intersects(s)).isFalse();
      all.or(s);
    }
    pool.shutdown();
    assertThat(all.cardinality()).isEqualTo(producers * perProducer);
  }
}
