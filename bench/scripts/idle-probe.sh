#!/usr/bin/env bash
# Per-thread CPU of an idle `shmring recv` (default wait: take in a loop) once it has been idle WARM_S seconds,
# measured over MEASURE_S seconds from /proc (utime+stime in ticks of 10 ms; voluntary context switches = wake-ups).
# usage, from the repository root after `mvn -B -q -DskipTests package`:
#   bench/scripts/idle-probe.sh WARM_S MEASURE_S [URI query, default capacity=64k]
# SHMRING_JAR overrides the CLI jar. The ring file is created for the run and deleted after it.
set -euo pipefail
warm=${1:?WARM_S}; measure=${2:?MEASURE_S}; query=${3:-capacity=64k}
jar=${SHMRING_JAR:-examples/target/shmring.jar}
ring=/dev/shm/idle-probe-$$
work=$(mktemp -d)
java -jar "$jar" recv "shm:$ring?$query" > /dev/null 2>&1 &
pid=$!
cleanup() { kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; rm -rf "$ring" "$work"; }
trap cleanup EXIT
sleep $((warm + 2))
hz=$(getconf CLK_TCK)
snap() {
  for t in /proc/"$pid"/task/*; do
    echo "$(tr ' ' _ < "$t"/comm)#$(basename "$t") $(awk '{print $14 + $15}' "$t"/stat) $(awk '/^voluntary_ctxt_switches/ {print $2}' "$t"/status)"
  done | sort
}
before=$(awk '{print $14 + $15}' /proc/"$pid"/stat); snap > "$work"/1
sleep "$measure"
after=$(awk '{print $14 + $15}' /proc/"$pid"/stat); snap > "$work"/2
echo "idle recv ($query), idle ${warm} s, then ${measure} s measured; threads that used CPU or woke more than twice a second:"
join "$work"/1 "$work"/2 | awk -v s="$measure" -v hz="$hz" \
  '{dt = $4 - $2; dv = $5 - $3; if (dt > 0 || dv > 2 * s) printf "  %-34s cpu %.2f %%  wake-ups/s %.1f\n", $1, 100 * dt / hz / s, dv / s}'
awk -v d=$((after - before)) -v s="$measure" -v hz="$hz" 'BEGIN {printf "whole JVM: %d ticks, %.2f %% of one CPU\n", d, 100 * d / hz / s}'
