package org.virthooks.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the dispatch benchmarks side by side in one run (with JMH's GC profiler) and prints the
 * table of the foundation issue: throughput, allocation per operation and the ratios to the
 * baselines. Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.DispatchReport [--quick]}.
 */
public final class DispatchReport {
  private DispatchReport() {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    OptionsBuilder ob = new OptionsBuilder();
    ob.include(SyncDispatchBenchmark.class.getSimpleName())
        .include(AsyncDispatchBenchmark.class.getSimpleName())
        .addProfiler("gc")
        // a benchmark that fails (AsyncDispatchBenchmark gives up when events stop arriving) is
        // reported as missing below instead of ending the whole run
        .shouldFailOnError(false);
    if (quick) {
      ob.warmupIterations(1).measurementIterations(2);
    }
    Options opts = ob.build();
    Collection<RunResult> results = new Runner(opts).run();

    Map<String, double[]> rows = new TreeMap<>(); // key → {ops/s, error, B/op}
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String name = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
      String key = name + " listeners=" + r.getParams().getParam("listeners");
      Result primary = r.getPrimaryResult();
      Result alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
      if (alloc == null) {
        alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      }
      rows.put(key, new double[] {primary.getScore(), primary.getScoreError(),
          alloc == null ? Double.NaN : alloc.getScore()});
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-52s %16s %12s %10s%n", "benchmark", "events/s", "± error",
        "B/event");
    rows.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-52s %,16.0f %,12.0f %10.2f%n", k, v[0],
        v[1], v[2]));
    System.out.println();
    for (String n : new String[] {"1", "4", "16"}) {
      ratio(rows, "SyncDispatchBenchmark.virthooks listeners=" + n,
          "SyncDispatchBenchmark.guavaEventBus listeners=" + n, "sync vs Guava EventBus, " + n
              + " listener(s) (target >= 5x)");
    }
    for (String n : new String[] {"1", "4"}) {
      ratio(rows, "AsyncDispatchBenchmark.virthooks listeners=" + n,
          "AsyncDispatchBenchmark.submissionPublisher listeners=" + n,
          "async vs SubmissionPublisher, " + n + " subscriber(s) (target >= 1x)");
    }
  }

  private static void ratio(Map<String, double[]> rows, String ours, String theirs, String label) {
    double[] a = rows.get(ours);
    double[] b = rows.get(theirs);
    if (a != null && b != null) {
      System.out.printf(Locale.ROOT, "%-62s %6.1fx%n", label, a[0] / b[0]);
    } else {
      System.out.printf(Locale.ROOT, "%-62s  no ratio: %s did not finish (see its error above)%n",
          label, a == null ? ours : theirs);
    }
  }
}
