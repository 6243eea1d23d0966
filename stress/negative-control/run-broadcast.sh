#!/usr/bin/env bash
# Negative control for BroadcastRingStress (not run by CI): for each deliberately broken variant of the broadcast
# ring, copy this commit's tree to a temporary directory, apply the patch there, build the stress jar, and run the one
# JCStress test the patch should break. A FORBIDDEN outcome in each run shows that the test can see the failure it
# forbids. Nothing in the worktree, in ~/.m2 or in /dev/shm is changed; the copies are deleted at the end.
#
# Usage: stress/negative-control/run-broadcast.sh [JCStress mode: sanity (default), quick, default, tough]
set -euo pipefail
mode="${1:-sanity}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run() # patch name, JCStress test
{
    local name="$1" test="$2" dir="$work/$1"
    mkdir -p "$dir"
    git -C "$repo" archive HEAD | tar -x -C "$dir"
    patch -d "$dir" -p1 --quiet < "$here/$name.patch"
    (cd "$dir" && mvn -B -q -DskipTests -Djcstress.skip=true package -pl stress -am)
    echo "=== $name: $test ($mode mode)"
    # StressSuite exits non-zero when a test fails: here that is the expected result
    java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$dir/stress/target/shmring-stress.jar" \
        io.shmring.stress.StressSuite -t "$test" -m "$mode" > "$work/$name.log" 2>&1 || true
    # the result lines of the test: [OK]/[FAILED], then each observed outcome with its count and expectation
    grep -E "\[(OK|FAILED|ERROR)\]|ACCEPTABLE|FORBIDDEN|StressSuite" "$work/$name.log" || true
}

run broken-lossless-floor 'io.shmring.stress.BroadcastRingStress.LosslessNoMissNoRepeat'
run broken-lossless-join 'io.shmring.stress.BroadcastRingStress.LosslessJoinIsProtected'
run broken-lossy-validate 'io.shmring.stress.BroadcastRingStress.LossyNoTornWithoutLap'
