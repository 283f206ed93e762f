#!/usr/bin/env bash
# Runs the dispatch benchmarks side by side (virthooks vs Guava EventBus, virthooks async vs
# SubmissionPublisher under BLOCK and DROP_OLDEST) with JMH's GC profiler and prints
# the table. About six minutes; pass --quick for a shorter, noisier run, --async for the
# asynchronous benchmarks only, --rounds N for the asynchronous ones in N rounds of one fork each
# with the ratios taken within a round (the way to compare on a busy machine). Run it on an
# otherwise idle machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# package in the reactor, never install (~/.m2 is shared); offline: the dependencies are cached
mvn -q -B -Dstyle.color=never -DskipTests -Dfuzz.skip -pl benchmarks -am package
exec java -cp benchmarks/target/benchmarks.jar org.virthooks.benchmarks.DispatchReport "$@"
