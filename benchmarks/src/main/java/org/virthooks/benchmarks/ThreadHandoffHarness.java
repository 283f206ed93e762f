package org.virthooks.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What a thread parked and woken again costs on this machine: two threads hand a turn back and
 * forth with {@link LockSupport}, 200,000 times, three rounds; prints the round trip's wall time
 * and the CPU time of one handoff. The floor under any API that makes a thread wait per call.
 */
public final class ThreadHandoffHarness {
  private static final int HANDOFFS = 200_000;
  private static volatile int turn;

  private ThreadHandoffHarness() {}

  public static void main(String[] args) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    for (int round = 1; round <= 3; round++) {
      Thread main = Thread.currentThread();
      turn = 0;
      Thread other = new Thread(() -> {
        for (int i = 0; i < HANDOFFS; i++) {
          while (turn != 1) {
            LockSupport.park();
          }
          turn = 0;
          LockSupport.unpark(main);
        }
      }, "handoff-peer");
      other.start();
      long cpuBefore = os.getProcessCpuTime();
      long start = System.nanoTime();
      for (int i = 0; i < HANDOFFS; i++) {
        turn = 1;
        LockSupport.unpark(other);
        while (turn != 0) {
          LockSupport.park();
        }
      }
      long wall = System.nanoTime() - start;
      long cpu = os.getProcessCpuTime() - cpuBefore;
      other.join();
      System.out.printf(Locale.ROOT, "round %d: round trip %.1f µs wall, %.1f µs CPU per "
          + "handoff%n", round, wall / 1e3 / HANDOFFS, cpu / 1e3 / HANDOFFS / 2);
    }
  }
}
