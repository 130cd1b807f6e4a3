#!/usr/bin/env bash
# A long fuzz run of rba's model reader, validator, ONNX Runtime load check and block discovery (rba inspect):
#   tools/fuzz/run.sh [MINUTES] [SEED]     (default 30 minutes, seed from the clock; the seed is printed)
# The build's own bounded run is the same test for 100 s from seed 13. Findings (inputs and what happened) go to
# cli/target/fuzz-findings/; the input being run is cli/target/fuzz-findings/current/model.onnx, where a crash of
# the JVM leaves it. Turn each finding into a regression input: fix it, then copy the .onnx to fixtures/fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes="${1:-30}"
seed="${2:-$(date +%s)}"
echo "fuzz: ${minutes} min from seed ${seed}"
exec ./mvn25 -B -ntp -q -pl cli -am verify -Dtest='ModelFuzzTest#boundedMutationRun' \
    -Dsurefire.failIfNoSpecifiedTests=false -Drba.fuzz.seconds="$((minutes * 60))" -Drba.fuzz.seed="$seed"
