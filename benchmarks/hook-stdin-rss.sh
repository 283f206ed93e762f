#!/usr/bin/env bash
# Peak RSS (VmHWM, as GNU time's %M reports it) of the jvm-mode hook entry point, LibvirtHookMain,
# answering `qemu vm1 prepare begin -` (a before point) with a domain XML of N MiB on stdin (a long
# <description>): with no hooks and with an events script that reads its input and exits 0; with
# the JVM options of the launcher `virthooks libvirt install --mode jvm` writes and with the JVM's
# defaults. A few seconds per size. Run it on an otherwise idle machine.
# Usage: benchmarks/hook-stdin-rss.sh [MiB...] (default: 0 30 50); JAVA_OPTS adds JVM options.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mvn -q -B -pl lib-core,lib-libvirt compile dependency:build-classpath \
  -Dmdep.outputFile="$tmp/cp" -Dfuzz.skip >&2
cp="lib-libvirt/target/classes:$(cat "$tmp/cp")"
printf '#!/bin/sh\ncat > /dev/null\n' > "$tmp/events"
chmod +x "$tmp/events"
launcher="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(0 30 50)
printf '%-4s %-8s %-7s %-4s %9s  %s\n' MiB jvm hooks exit "peak RSS" "stderr"
for mib in "${sizes[@]}"; do
  perl -e '
    my $n = $ARGV[0] * 1048576;
    my $head = "<domain type=\"kvm\"><name>vm1</name><description>";
    my $tail = "</description><devices/></domain>\n";
    my $fill = $n - length($head) - length($tail);
    print $head, ($fill > 0 ? "x" x $fill : ""), $tail;' "$mib" > "$tmp/doc.xml"
  for jvm in launcher defaults; do
    opts=${JAVA_OPTS:-}
    [ "$jvm" = defaults ] || opts="$launcher $opts"
    for hooks in none events; do
      extra=()
      [ "$hooks" = none ] || extra=(--events-script "$tmp/events" --events-timeout 60)
      set +e
      # shellcheck disable=SC2086
      /usr/bin/time -f %M -o "$tmp/rss" java $opts -cp "$cp" \
        org.virthooks.libvirt.LibvirtHookMain --deadline 60 "${extra[@]}" \
        -- /etc/libvirt/hooks/qemu vm1 prepare begin - < "$tmp/doc.xml" > /dev/null 2> "$tmp/err"
      code=$?
      set -e
      printf '%-4s %-8s %-7s %-4s %5d MiB  %s\n' "$mib" "$jvm" "$hooks" "$code" \
        $(( $(tail -1 "$tmp/rss") / 1024 )) \
        "$(grep -v '^Command exited' "$tmp/err" | head -1 | cut -c1-90)"
    done
  done
done
