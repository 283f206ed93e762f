#!/usr/bin/env bash
# Fuzzes a module's Jazzer targets (src/test/java/org/virthooks/<adapter>/fuzz) for longer than
# `mvn verify` does (20 s each): the same Maven execution "fuzz", with a longer duration.
# lib-ldm/fuzz.sh and lib-libvirt/fuzz.sh call it with their module.
#
# Usage: ./fuzz.sh MODULE [SECONDS] [TARGET]
#   MODULE   lib-ldm or lib-libvirt
#   SECONDS  fuzzing time per target (default 600)
#   TARGET   a test class, e.g. LdmDecoderFuzzTest (default: every *FuzzTest of the module, one
#            after the other)
# Environment:
#   MVN_ARGS            extra Maven arguments, e.g. "-o"
#   FUZZ_REACTOR        the modules to build (default "-pl MODULE -am", which works from a fresh
#                       clone; "-pl MODULE" uses the lib-core installed in ~/.m2)
#   JAZZER_KEEP_GOING   how many distinct findings to collect before stopping (default 1)
#
# The log goes to MODULE/target/fuzz.log. Findings are written to MODULE/target/jazzer/
# (crash-*, timeout-*); the corpus grows in MODULE/target/jazzer/.cifuzz-corpus/ and is reused by
# the next run until `mvn clean`. A finding fails the run; to keep it as a regression test, copy its
# file to MODULE/src/test/resources/org/virthooks/<adapter>/fuzz/<Target>Inputs/<method>/ as
# regression-<what>.
set -euo pipefail
usage() { echo "usage: $0 MODULE [SECONDS] [TARGET]" >&2; exit 2; }
module=${1:-}
seconds=${2:-600}
target=${3:-'*FuzzTest'}
case "$seconds" in
  ''|*[!0-9]*) usage ;;
esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
[ -n "$module" ] && [ -f "$module/pom.xml" ] || usage
mkdir -p "$module/target"
log=$module/target/fuzz.log

# -Dtest selects the fuzz tests in every module (lib-core has none, so nothing else runs); the unit
# tests of the module are skipped that way too, the fuzz tests run once on their seeds, then fuzz.
# shellcheck disable=SC2086
set +e
mvn -B -Dstyle.color=never --no-transfer-progress ${FUZZ_REACTOR:--pl $module -am} ${MVN_ARGS:-} \
  -Dfuzz.ignoreNewFindings=false \
  verify -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.seconds="$seconds" -Dfuzz.fork.timeout=$((seconds + 900)) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

echo
echo "== fuzz.sh: $seconds s per target"
awk '/Running org\.virthooks\.[a-z]+\.fuzz\./ { t = $NF; sub(/.*\./, "", t) }
     /stat::number_of_executed_units:/ { runs[t] = $2 }
     /stat::average_exec_per_sec:/ { rate[t] = $2 }
     END { for (t in runs) printf "   %-20s %12d executions (%s/s)\n", t, runs[t], rate[t] }' "$log"
findings=$(find "$module/target/jazzer" -maxdepth 1 -type f \( -name 'crash-*' \
  -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) 2>/dev/null | sort || true)
if [ -n "$findings" ]; then
  echo "   findings (this run and earlier ones):"
  echo "$findings" | sed 's/^/     /'
else
  echo "   no findings"
fi
echo "   log: $log; Maven exit status $status"
exit "$status"
