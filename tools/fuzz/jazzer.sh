#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the model reader and validator on raw bytes, for up to 5 minutes
# (ModelBytesFuzzTest's maxDuration):  tools/fuzz/jazzer.sh
# Findings land in onnx-io/src/test/resources/dev/rba/onnx/io/ModelBytesFuzzTestInputs/readAndCheck/ (Jazzer's
# place for them); fix each, then move it to fixtures/fuzz/findings/ so that every build replays it.
# The longer, structure-aware run that also reaches ONNX Runtime is tools/fuzz/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAZZER_FUZZ=1 exec ./mvn25 -B -ntp -pl onnx-io -am verify -Dtest='ModelBytesFuzzTest' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dinvoker.skip=true
