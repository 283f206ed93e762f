package org.virthooks.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the dispatch benchmarks side by side in one run (with JMH's GC profiler) and prints the
 * table of the foundation issue: throughput, allocation per operation, the spread between forks
 * and the ratios to the baselines. Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * org.virthooks.benchmarks.DispatchReport [--quick] [--async]} ({@code --async}: the
 * asynchronous benchmarks only).
 */
public final class DispatchReport {
  private DispatchReport() {}

  /** One row: the score, JMH's error, the lowest and highest fork, allocation, delivered/s. */
  private record Row(double score, double error, double lowFork, double highFork, double bytes,
      double delivered) {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    List<String> flags = List.of(args);
    OptionsBuilder ob = new OptionsBuilder();
    if (!flags.contains("--async")) {
      ob.include(SyncDispatchBenchmark.class.getSimpleName());
    }
    ob.include(AsyncDispatchBenchmark.class.getSimpleName())
        .addProfiler("gc")
        // a benchmark that fails (AsyncDispatchBenchmark gives up when events stop arriving) is
        // reported as missing below instead of ending the whole run
        .shouldFailOnError(false);
    if (flags.contains("--quick")) {
      ob.warmupIterations(1).measurementIterations(2);
    }
    Options opts = ob.build();
    Collection<RunResult> results = new Runner(opts).run();

    Map<String, Row> rows = new TreeMap<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String name = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
      StringBuilder key = new StringBuilder(name);
      for (String p : new String[] {"listeners", "policy", "queues"}) {
        String v = r.getParams().getParam(p);
        if (v != null) {
          key.append(' ').append(p).append('=').append(v);
        }
      }
      Result primary = r.getPrimaryResult();
      Result alloc = secondary(r, "gc.alloc.rate.norm");
      Result delivered = secondary(r, "delivered");
      double low = Double.MAX_VALUE;
      double high = 0;
      for (BenchmarkResult fork : r.getBenchmarkResults()) {
        low = Math.min(low, fork.getPrimaryResult().getScore());
        high = Math.max(high, fork.getPrimaryResult().getScore());
      }
      rows.put(key.toString(), new Row(primary.getScore(), primary.getScoreError(), low, high,
          alloc == null ? Double.NaN : alloc.getScore(),
          delivered == null ? Double.NaN : delivered.getScore()));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-74s %14s %12s %27s %9s %14s%n", "benchmark", "events/s",
        "± error", "forks: lowest – highest", "B/event", "delivered/s");
    rows.forEach((k, v) -> System.out.printf(Locale.ROOT,
        "%-74s %,14.0f %,12.0f %,13.0f – %,11.0f %9.2f %,14.0f%n", k, v.score, v.error,
        v.lowFork, v.highFork, v.bytes, v.delivered));
    System.out.println();
    for (String n : new String[] {"1", "4", "16"}) {
      ratio(rows, "SyncDispatchBenchmark.virthooks listeners=" + n,
          "SyncDispatchBenchmark.guavaEventBus listeners=" + n, "sync vs Guava EventBus, " + n
              + " listener(s) (target >= 5x)");
    }
    List<String> queues = new ArrayList<>();
    rows.keySet().stream().filter(k -> k.contains(" queues="))
        .map(k -> k.substring(k.indexOf(" queues=") + 8)).distinct().forEach(queues::add);
    for (String n : new String[] {"1", "4"}) {
      for (String q : queues) {
        ratio(rows, "AsyncDispatchBenchmark.virthooks listeners=" + n + " policy=BLOCK queues=" + q,
            "AsyncDispatchBenchmark.submissionPublisher listeners=" + n,
            "async BLOCK, " + q + " vs SubmissionPublisher, " + n + " subscriber(s) (target >= 1x)");
      }
      for (String policy : new String[] {"BLOCK", "DROP_OLDEST"}) {
        for (String q : queues) {
          if (!q.equals("rings")) {
            String at = "AsyncDispatchBenchmark.virthooks listeners=" + n + " policy=" + policy;
            ratio(rows, at + " queues=" + q, at + " queues=rings",
                "async " + policy + ", " + q + " vs rings, " + n + " subscriber(s)");
          }
        }
      }
    }
  }

  private static Result secondary(RunResult r, String label) {
    Result x = r.getSecondaryResults().get("·" + label);
    return x != null ? x : r.getSecondaryResults().get(label);
  }

  private static void ratio(Map<String, Row> rows, String ours, String theirs, String label) {
    Row a = rows.get(ours);
    Row b = rows.get(theirs);
    if (a != null && b != null) {
      System.out.printf(Locale.ROOT, "%-72s %6.2fx (forks %.2f–%.2fx)%n", label,
          a.score / b.score, a.lowFork / b.highFork, a.highFork / b.lowFork);
    } else {
      System.out.printf(Locale.ROOT, "%-72s  no ratio: %s did not finish (see its error above)%n",
          label, a == null ? ours : theirs);
    }
  }
}
