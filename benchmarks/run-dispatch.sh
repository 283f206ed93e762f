#!/usr/bin/env bash
# Runs the dispatch benchmarks side by side (virthooks vs Guava EventBus, virthooks async vs
# SubmissionPublisher) with JMH's GC profiler and prints the table. A few minutes; pass --quick
# for a shorter, noisier run. Run it on an otherwise idle machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests -pl benchmarks -am install
exec java -cp benchmarks/target/benchmarks.jar org.virthooks.benchmarks.DispatchReport "$@"
