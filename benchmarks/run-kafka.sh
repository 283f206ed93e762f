#!/usr/bin/env bash
# Fleet delivery side by side on one local Kafka broker the harness starts (KafkaBroker, a child
# JVM from the Maven artifacts): the sink with a durable spool and acks=all against a bare
# kafka-clients producer sending the same bytes with the same settings, then publish -> consumer
# latency at 1,000 events/s and the append's cost on the publishing thread. A few minutes; pass
# --quick for a shorter, noisier run; --rounds, --events, --publishers (64), --batch (64) and
# --batch-publishers (8) for the publishAll run, --warm-seconds and
# --broker-dir DIR (the broker's data on another file system, e.g. /dev/shm) tune it. Run it on an
# otherwise idle machine.
# Builds in the reactor (package, never install) and runs from the module's classes and the
# class path Maven resolves, so the broker's child JVM gets the real kafka_2.13 jars.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests -Dfuzz.skip -pl benchmarks -am package \
  dependency:build-classpath -Dmdep.outputFile=target/runtime-classpath.txt \
  -Dmdep.includeScope=runtime
exec java -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
  org.virthooks.benchmarks.kafka.KafkaReport "$@"
