#!/usr/bin/env bash
# The spool comparison (segment log vs SQLite WAL), side by side in one run: append throughput
# and the publishing thread's latency, 1 and 4 threads, fsync and no fsync, ~500-byte payloads.
# Args: seconds per run (3), rounds (3), directory for the spools (/var/tmp: a real disk, not a
# tmpfs, or fsync costs nothing). About (seconds x rounds x 12) seconds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -q -B -o -Dstyle.color=never -DskipTests -Dfuzz.skip -pl benchmarks -am package
exec java -cp benchmarks/target/benchmarks.jar org.virthooks.benchmarks.spool.SpoolReport "$@"
