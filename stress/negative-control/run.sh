#!/usr/bin/env bash
# Negative control for the JCStress tests (not run by CI). Builds this commit's stress jar once in a temporary copy of
# the tree; then, for each deliberately broken variant of a ring protocol (a patch here), compiles the patched
# ringbuffer or sync classes against that jar and runs the one JCStress test the patch should break with the patched classes
# first on the class path. A FORBIDDEN outcome in a run shows the test can see the failure it forbids. JCStress runs in
# the given mode (sanity by default) with one JVM configuration (-jvmArgs: no flag auto-detection), to keep each run near a minute.
# Nothing in the worktree, ~/.m2 or /dev/shm changes; each run's log and JCStress report are copied to OUT-DIR.
#
# Environment: STRESS_JAR=path to use a stress jar already built from this commit instead of building one.
# Usage: stress/negative-control/run.sh OUT-DIR [JCStress mode: sanity (default), quick, default] [patch name]
set -euo pipefail
out="$(mkdir -p "${1:?usage: run.sh OUT-DIR [mode] [patch]}" && cd "$1" && pwd)"
mode="${2:-sanity}"
only="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tree"
git -C "$repo" archive HEAD | tar -x -C "$work/tree"
if [ -n "${STRESS_JAR:-}" ]; then
    jar="$STRESS_JAR" # a stress jar already built from this commit
else
    (cd "$work/tree" && mvn -B -q -DskipTests -Djcstress.skip=true package -pl stress -am)
    jar="$work/tree/stress/target/shmring-stress.jar"
fi
flag="--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"

run() # patch name, JCStress test
{
    local name="$1" test="$2" dir="$work/$1"
    if [ -n "$only" ] && [ "$only" != "$name" ]; then return; fi
    mkdir -p "$dir/classes"
    cp -r "$work/tree/ringbuffer" "$work/tree/sync" "$dir/" # a patch breaks a ring protocol or the wake lines' (sync)
    patch -d "$dir" -p1 --quiet < "$here/$name.patch"
    local files
    files="$(sed -n 's|^+++ b/||p' "$here/$name.patch" | sed "s|^|$dir/|")"
    # shellcheck disable=SC2086
    javac --release 17 -nowarn -cp "$jar" -d "$dir/classes" $files
    echo "=== $name: $test ($mode mode)"
    # StressSuite exits non-zero when the test fails: here that is the expected result
    java "$flag" -cp "$dir/classes:$jar" io.shmring.stress.StressSuite -t "$test" -m "$mode" -jvmArgs "$flag" \
        > "$out/$name.log" 2>&1 || true
    rm -rf "$out/$name-report" && cp -r "$(dirname "$jar")/jcstress-results" "$out/$name-report" 2>/dev/null || true
    grep -E "\[(OK|FAILED|ERROR)\] io\.shmring|FORBIDDEN|ACCEPTABLE|^StressSuite: [0-9]" "$out/$name.log" || true
}

run broken-lossless-floor 'io.shmring.stress.BroadcastRingStress.LosslessNoMissNoRepeat'
run broken-lossless-release 'io.shmring.stress.BroadcastRingStress.LosslessNoMissNoRepeat'
run broken-lossless-join 'io.shmring.stress.BroadcastRingStress.LosslessJoinIsProtected'
run broken-lossy-validate 'io.shmring.stress.BroadcastRingStress.LossyNoTornWithoutLap'
run broken-registration-store 'io.shmring.stress.ProducerLifecycleStress.RegistrationAfterJudgement'
run broken-end-bump 'io.shmring.stress.ProducerLifecycleStress.TwoLastProducersLeave'
run broken-wrap-late-claim 'io.shmring.stress.RangeRecoveryStress.LateClaimAtWrap'
run broken-revoke-store 'io.shmring.stress.RangeRecoveryStress.RevokeAfterOwnerGaveUp'
run broken-mpsc-commit-signal 'io.shmring.stress.MpscWakeProtocolStress.ConsumerSleepsVsCommitBehindHead'
run broken-mpsc-release-signal 'io.shmring.stress.MpscWakeProtocolStress.ProducerSleepsVsRelease'
run broken-no-sleeper-membarrier 'io.shmring.stress.EventcountDekkerStress.SignalVsLastCheck'
