#!/usr/bin/env bash
# A boot storm against 'virthooks relay serve' with an events script: CALLS concurrent calls of
# the installed relay client per round, ROUNDS rounds, IDLE connections held open meanwhile.
# Prints p50/p99/max per call, verdicts from the policy, and the server's peak RSS and threads.
# Usage: benchmarks/run-relay-storm.sh [CALLS=200] [ROUNDS=5] [IDLE=0]. Run it on an idle machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests -Dfuzz.skip -pl benchmarks,cli -am install
exec java -cp benchmarks/target/benchmarks.jar org.virthooks.benchmarks.relay.RelayStormHarness \
  cli/target/virthooks-cli.jar "${1:-200}" "${2:-5}" "${3:-0}"
