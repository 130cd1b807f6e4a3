#!/usr/bin/env bash
# Regenerates docs/results.md (and docs/results/: heatmaps, JSON records) from the committed models; no training.
#   tools/results/make_results.sh            (about 10-15 minutes on the 2-core development machine)
# Steps per model (models/vit12_d64.onnx, models/vit12_d128.onnx):
#   rba inspect; rba analyze (500 train samples: BR of every span up to 4 blocks, cosine and CKA heatmaps on the
#   CLS token and on all tokens); RbaResults.java (every span fitted and scored on the 2,000 committed test
#   images, calibration-size sweep, rba's checked selection, sizes and latency); reference_compare.sh (rba's
#   streamed fit against torch.linalg.lstsq at 500, 2,000 and 10,000 samples). Then render_results.py writes
#   the page. Scratch files go to $RBA_RESULTS_TMP (default /tmp/rba-results).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/find-jdk25.sh; rba_find_jdk25
tmp=${RBA_RESULTS_TMP:-/tmp/rba-results}
out=docs/results
models=${RBA_RESULTS_MODELS:-models/vit12_d64.onnx models/vit12_d128.onnx}
train=fixtures/data/fashion-mnist
rm -rf "$out"   # everything under docs/results/ is generated here
mkdir -p "$tmp" "$out"
start=$(date +%s)

./rba --version >/dev/null 2>&1   # builds the CLI when its jar is missing or stale
# A private copy of the class path: a build started elsewhere in the tree may rewrite cli/target meanwhile.
rm -rf "$tmp/cp" && mkdir -p "$tmp/cp" && cp -r cli/target/rba-cli.jar cli/target/lib "$tmp/cp/"
export RBA_RESULTS_CP=$tmp/cp/rba-cli.jar RBA_RESULTS_TMP=$tmp
java=("$RBA_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp "$RBA_RESULTS_CP")
rba=("${java[@]}" -XX:+UseParallelGC -Drba.home="$root" -jar "$RBA_RESULTS_CP")

for model in $models; do
  name=$(basename "$model" .onnx)
  echo "== $name" >&2
  "${rba[@]}" inspect "$model" > "$out/$name.inspect.txt" 2>/dev/null
  "${rba[@]}" analyze "$model" --data "$train" --split train --samples 500 --max-span 4 --top 100 \
    --metric br,cosine,cka --heatmap "$out/$name-cls.png" --report "$out/$name.analyze-cls.json" -q \
    > /dev/null 2>&1
  "${rba[@]}" analyze "$model" --data "$train" --split train --samples 500 --max-span 4 --top 100 \
    --metric br,cosine,cka --tokens all --heatmap "$out/$name-all-tokens.png" \
    --report "$out/$name.analyze-all.json" -q > /dev/null 2>&1
  "${java[@]}" tools/results/java/RbaResults.java "$model" "$train" "$train" models/calibration-3000 \
    "$tmp/work-$name" "$out/$name.results.json" 2> "$tmp/$name.results.log"
  span=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pipeline']['span'])" \
    "$out/$name.results.json")
  tools/results/reference_compare.sh "$model" "$span" "$out/reference"
done
end=$(date +%s)
/usr/bin/python3 tools/results/render_results.py "$out" docs/results.md --wall-s $((end - start))
echo "wrote docs/results.md in $((end - start)) s" >&2
