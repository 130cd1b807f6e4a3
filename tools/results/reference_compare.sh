#!/usr/bin/env bash
# Driver of the comparison with the reference approach (docs/results.md, "Against the reference"):
#   tools/results/reference_compare.sh MODEL SPAN OUT_DIR   (SPAN as i-j, e.g. 9-10; run from anywhere)
# For 500, 2,000 and 10,000 calibration samples: `rba capture` writes h_i and h_{j+1} of the samples, rba's
# streamed fit (StreamedFit.java) and torch.linalg.lstsq on the full matrix (reference_fit.py) fit T on the same
# files, and both T are scored on the held-out rows of 500 committed test images. The fit sets come from a
# 12,000-image seeded subset of Debian's Fashion-MNIST train set, written to /tmp at run time (not committed).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
model=$1 span=$2 out=$3
i=${span%-*} j=${span#*-}
k_in=$i k_out=$((j + 1))
. "$root/tools/find-jdk25.sh"; rba_find_jdk25
cp_jar=${RBA_RESULTS_CP:-$root/cli/target/rba-cli.jar}
java=("$RBA_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp "$cp_jar")
rba=("${java[@]}" -XX:+UseParallelGC -Drba.home="$root" -jar "$cp_jar")
tmp=${RBA_RESULTS_TMP:-/tmp/rba-results}
big=$tmp/fmnist-train-12000
mkdir -p "$out" "$tmp"
if [ ! -f "$big/train-images-idx3-ubyte.gz" ]; then
  /usr/bin/python3 "$root/tools/results/make_calibration_set.py" --count 12000 --seed 12000 --out "$big" >&2
fi
name=$(basename "$model" .onnx)
acts=$tmp/acts-$name
rm -rf "$acts"
"${rba[@]}" capture "$model" --data "$root/fixtures/data/fashion-mnist" --split test --samples 500 --seed 1 \
  --blocks "$k_in,$k_out" --npy "$acts/heldout" -q 2>>"$tmp/reference.log"
for n in ${RBA_REF_SIZES:-500 2000 10000}; do
  "${rba[@]}" capture "$model" --data "$big" --split train --samples "$n" --blocks "$k_in,$k_out" \
    --npy "$acts/fit$n" -q 2>>"$tmp/reference.log"
  # The heap is capped so that the JVM's lazy heap growth (garbage, not data) does not blur the peak RSS.
  "${java[@]}" -Xmx128m "$root/tools/results/java/StreamedFit.java" "$acts/fit$n/h_$k_in.npy" "$acts/fit$n/h_$k_out.npy" \
    "$acts/fit$n/T_rba.npy" "$out/rba-fit-$name-$n.json" 2>>"$tmp/reference.log"
  /usr/bin/python3 "$root/tools/results/reference_fit.py" "$acts/fit$n" "$acts/heldout" "$k_in" "$k_out" \
    "$acts/fit$n/T_rba.npy" "$out/reference-fit-$name-$n.json"
  echo "reference comparison: $name span $span, $n samples done" >&2
  rm -rf "$acts/fit$n"
done
