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
 * org.virthooks.benchmarks.DispatchReport [--quick] [--async] [--rounds N]} ({@code --async}: the
 * asynchronous benchmarks only; {@code --rounds N}: the asynchronous ones only, as N rounds of
 * one fork of every configuration each, so that the two sides compared run minutes apart at most
 * and a ratio is taken within each round: on a shared 2-core machine the load moves a whole
 * block of forks of one configuration by 2x, which a pairing by round cancels).
 */
public final class DispatchReport {
  private DispatchReport() {}

  /** One row: the score, JMH's error, the lowest and highest fork, allocation, delivered/s. */
  private record Row(double score, double error, double lowFork, double highFork, double bytes,
      double delivered) {}

  /** Runs and prints. */
  public static void main(String[] args) throws Exception {
    List<String> flags = List.of(args);
    int roundsAt = flags.indexOf("--rounds");
    if (roundsAt >= 0) {
      rounds(Integer.parseInt(flags.get(roundsAt + 1)), flags.contains("--quick"));
      return;
    }
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
      for (String p : new String[] {"listeners", "policy"}) {
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
    System.out.printf(Locale.ROOT, "%-84s %14s %12s %27s %9s %14s%n", "benchmark", "events/s",
        "± error", "forks: lowest – highest", "B/event", "delivered/s");
    rows.forEach((k, v) -> System.out.printf(Locale.ROOT,
        "%-84s %,14.0f %,12.0f %,13.0f – %,11.0f %9.2f %,14.0f%n", k, v.score, v.error,
        v.lowFork, v.highFork, v.bytes, v.delivered));
    System.out.println();
    for (String n : new String[] {"1", "4", "16"}) {
      ratio(rows, "SyncDispatchBenchmark.virthooks listeners=" + n,
          "SyncDispatchBenchmark.guavaEventBus listeners=" + n, "sync vs Guava EventBus, " + n
              + " listener(s) (target >= 5x)");
    }
    for (String n : new String[] {"1", "4"}) {
      ratio(rows, "AsyncDispatchBenchmark.virthooks listeners=" + n + " policy=BLOCK",
          "AsyncDispatchBenchmark.submissionPublisher listeners=" + n,
          "async vs SubmissionPublisher, " + n + " subscriber(s) (target >= 1x)");
    }
  }

  // AsyncDispatchBenchmark's configurations, one fork each per round
  private static void rounds(int n, boolean quick) throws Exception {
    Map<String, List<Double>> scores = new TreeMap<>();
    for (int round = 0; round < n; round++) {
      for (String listeners : new String[] {"1", "4"}) {
        run(scores, "submissionPublisher", listeners, null, quick);
        for (String policy : new String[] {"BLOCK", "DROP_OLDEST"}) {
          run(scores, "virthooks", listeners, policy, quick);
        }
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%-62s %14s %29s%n", "benchmark (" + n + " rounds)",
        "mean events/s", "rounds: lowest – highest");
    scores.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-62s %,14.0f %,14.0f – %,12.0f%s%n",
        k, v.stream().filter(x -> !x.isNaN()).mapToDouble(x -> x).average().orElse(Double.NaN),
        v.stream().filter(x -> !x.isNaN()).mapToDouble(x -> x).min().orElse(Double.NaN),
        v.stream().filter(x -> !x.isNaN()).mapToDouble(x -> x).max().orElse(Double.NaN),
        v.stream().anyMatch(x -> x.isNaN()) ? " (a round failed)" : ""));
    System.out.println();
    System.out.println("ratios within each round (median; lowest – highest):");
    for (String listeners : new String[] {"1", "4"}) {
      paired(scores, "virthooks listeners=" + listeners + " policy=BLOCK",
          "submissionPublisher listeners=" + listeners, "virthooks / SubmissionPublisher");
    }
  }

  private static void run(Map<String, List<Double>> scores, String method, String listeners,
      String policy, boolean quick) throws Exception {
    OptionsBuilder ob = new OptionsBuilder();
    ob.include(AsyncDispatchBenchmark.class.getName() + "." + method + "$")
        .param("listeners", listeners).forks(1).shouldFailOnError(false);
    String key = method + " listeners=" + listeners;
    if (policy != null) {
      ob.param("policy", policy);
      key += " policy=" + policy;
    }
    if (quick) {
      ob.warmupIterations(1).measurementIterations(2);
    }
    double score = Double.NaN; // a failed fork (see its error above) keeps its round's place
    for (RunResult r : new Runner(ob.build()).run()) {
      score = r.getPrimaryResult().getScore();
    }
    scores.computeIfAbsent(key, k -> new ArrayList<>()).add(score);
  }

  // a and b of the same round side by side; a round where either failed is left out
  private static void paired(Map<String, List<Double>> scores, String a, String b, String label) {
    List<Double> x = scores.getOrDefault(a, List.of());
    List<Double> y = scores.getOrDefault(b, List.of());
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      if (!x.get(i).isNaN() && !y.get(i).isNaN()) {
        ratios.add(x.get(i) / y.get(i));
      }
    }
    if (ratios.isEmpty()) {
      System.out.printf(Locale.ROOT, "%-40s %-32s no round where both finished%n", a, label);
    } else {
      ratios.sort(null);
      System.out.printf(Locale.ROOT, "%-40s %-32s %5.2fx; %5.2f – %5.2fx%n", a, label,
          ratios.get(ratios.size() / 2),
          ratios.get(0), ratios.get(ratios.size() - 1));
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
      System.out.printf(Locale.ROOT, "%-84s %6.2fx (forks %.2f–%.2fx)%n", label,
          a.score / b.score, a.lowFork / b.highFork, a.highFork / b.lowFork);
    } else {
      System.out.printf(Locale.ROOT, "%-84s  no ratio: %s did not finish (see its error above)%n",
          label, a == null ? ours : theirs);
    }
  }
}
