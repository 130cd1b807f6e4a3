#!/usr/bin/env bash
# The GPU check, in one prepared script (GPU hosts have no Java and no network).
#   tools/gpu-check.sh pack          # here: builds, packs a jlinked Java 25 + jars + test jars into .device-kit/
#   bash tools/gpu-check.sh run      # there, from the repo root, with carry [".device-kit"]; writes $OUT/gpu-check/
# 'run' does: nvidia-smi; rba doctor; the CUDA tests of native-bindings and core (they must not skip there) and the
# differential backend tests; rba bench linalg --backend cuda at 1,000,000 rows, d = 768 and 1,024 (fp32 and TF32);
# PyTorch's X^T X and lstsq at the same sizes from host tensors; analyze/approximate on the fixture with cuda and
# openblas when those commands exist, comparing the T matrices.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
junit_rel=org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar
case "${1:-}" in
pack)
  set -e
  # the packer (jlink + the kit layout the GPU host expects) belongs to the machine that lends the GPU, not to rba
  if [ -z "${DEVICE_KIT:-}" ] || [ ! -x "$DEVICE_KIT" ]; then
    echo "gpu-check.sh pack: set DEVICE_KIT to the device-kit packer of the machine that lends the GPU" >&2; exit 2
  fi
  ./mvn25 -B -q -ntp dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 >/dev/null
  ./mvn25 -B -q -ntp -o -DskipTests package
  ./mvn25 -B -q -ntp -o test-compile
  . tools/find-jdk25.sh && rba_find_jdk25
  tmp=$(mktemp -d)
  for m in native-bindings core onnx-io; do (cd $m/target/test-classes && "$RBA_JAVA_HOME/bin/jar" cf "$tmp/rba-$m-tests.jar" .); done
  cp "$HOME/.m2/repository/$junit_rel" "$tmp/"
  # The carried tree must stay under 64 MiB: no java.desktop (no PNG heatmaps there) and no bundled OpenBLAS jar
  # (GPU hosts have Debian's libopenblas + liblapacke, which the loader finds by itself).
  lib=$(mktemp -d); cp cli/target/lib/*.jar "$lib/"; rm -f "$lib"/openblas-*.jar "$lib"/javacpp-*.jar
  KIT_NO_DESKTOP=1 JAVA_HOME="$RBA_JAVA_HOME" "$DEVICE_KIT" "$lib" cli/target/rba-cli.jar "$tmp"
  rm -rf "$lib"
  rm -rf "$tmp"
  du -sh .device-kit ;;
run)
  out=${OUT:-/tmp}/gpu-check; mkdir -p "$out"
  mkdir -p /tmp/jre && tar -xJf .device-kit/jre.tar.xz -C /tmp/jre
  export JAVA_HOME=/tmp/jre PATH=/tmp/jre/bin:$PATH
  cublas=$(dirname "$(find / -name 'libcublas.so.*' -not -path '/proc/*' 2>/dev/null | head -1)")
  cusolver=$(dirname "$(find / -name 'libcusolver.so.*' -not -path '/proc/*' 2>/dev/null | head -1)")
  export LD_LIBRARY_PATH="$cublas:$cusolver:${LD_LIBRARY_PATH:-}"
  cp=$(ls .device-kit/lib/*.jar | grep -v console-standalone | tr '\n' :)
  java=(java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx24g "-XX:ErrorFile=$out/hs_err_%p.log")
  # scripts, not shell functions, so that timeout(1) can run them
  bin=$(mktemp -d); export PATH="$bin:$PATH"
  printf '#!/usr/bin/env bash\nexec %s -cp "%s" dev.rba.cli.Main "$@"\n' "${java[*]}" "$cp" > "$bin/rba"
  printf '#!/usr/bin/env bash\nexec %s -jar %s execute --disable-banner --details=summary --details-theme=ascii -cp "%s" "$@"\n' \
    "${java[*]}" "$root/.device-kit/lib/junit-platform-console-standalone-1.14.1.jar" "$cp" > "$bin/junit"
  chmod +x "$bin/rba" "$bin/junit"
  { nvidia-smi; nproc; free -g; } > "$out/machine.txt" 2>&1
  echo "== doctor"; rba doctor --json > "$out/doctor.json" 2>&1; rba doctor 2>&1 | tail -8
  parts=${2:-tests bench torch e2e}   # run only some: bash tools/gpu-check.sh run "tests bench"; also: upload-rows
  has() { [[ " $parts " == *" $1 "* ]]; }
  if has tests; then
  echo "== tests"
  # one JVM per class (a native crash then loses one class, and its hs_err log is kept); classes, not packages:
  # package scanning needs jdk.zipfs, which the jlinked runtime leaves out
  for c in dev.rba.nativelib.cuda.CudaRuntimeTest dev.rba.nativelib.cuda.CublasTest dev.rba.nativelib.cuda.CusolverTest \
           dev.rba.core.linalg.CudaBackendTest dev.rba.core.linalg.CudaTf32BackendTest dev.rba.core.linalg.BackendsTest \
           dev.rba.core.linalg.OpenBlasBackendTest dev.rba.core.linalg.cuda.StagingHelpersTest \
           dev.rba.core.stats.StreamStatisticsTest dev.rba.core.stats.ScratchGrowthTest dev.rba.core.fit.LinearFitsTest; do
    (timeout 120 junit --details=tree --select-class "$c") > "$out/tests-${c##*.}.txt" 2>&1
    echo "$c exit $? $(grep -E "tests (successful|failed|skipped)" "$out/tests-${c##*.}.txt" | tr -s ' ' | tr '\n' ' ')"
    grep -E "\[X\]|=>|SIGSEGV|Problematic" "$out/tests-${c##*.}.txt" | head -8
  done
  for f in "$out"/hs_err*.log; do [ -f "$f" ] && grep -E -A12 "^Java frames|^Native frames" "$f" | head -40; done
  fi
  if has bench; then
  echo "== bench cuda (from ordinary and from page-locked host memory; fp32 and TF32)"
  for d in 768 1024; do
    timeout 120 rba bench linalg --backend cuda --rows 1000000 --dim $d --batch-rows 65536 --repeats 5 --ops gram,gram-pinned,fit \
      --json > "$out/bench-cuda-$d.json" 2> "$out/bench-cuda-$d.err"; echo "d=$d exit $?"; tail -2 "$out/bench-cuda-$d.err"
    python3 -c 'import json,sys
for rep in json.load(open(sys.argv[1])):
    for r in rep["results"]:
        print(rep["backend"], r["variant"], r["operation"], rep["rows"], rep["dim"], "%.4f s" % r["seconds_median"], "%.0f GFLOP/s" % r["gflops"], "copy share", r["copy_share"])' "$out/bench-cuda-$d.json"
  done
  # what the parallel staging copy buys: the same Gram from ordinary memory with the copy on one thread
  timeout 90 "${java[@]}" -Drba.cuda.stagingThreads=1 -cp "$cp" dev.rba.cli.Main bench linalg --backend cuda --rows 1000000 --dim 768 \
    --batch-rows 65536 --repeats 3 --ops gram > "$out/bench-cuda-768-1thread.txt" 2>&1; grep -E "^cuda" "$out/bench-cuda-768-1thread.txt"
  timeout 60 rba bench linalg --backend openblas --rows 200000 --dim 768 --repeats 3 --ops gram,fit > "$out/bench-openblas-768.txt" 2>&1
  grep -E "^openblas|# CPU" "$out/bench-openblas-768.txt"
  fi
  if has torch; then
  echo "== torch"
  py=$(command -v python3); for p in /opt/*/bin/python3 /venv/bin/python3 /root/*/bin/python3; do [ -x "$p" ] && "$p" -c 'import torch' 2>/dev/null && py=$p && break; done
  timeout 150 "$py" tools/gpu/torch_reference.py --rows 1000000 --dims 768 1024 --repeats 5 > "$out/torch.jsonl" 2> "$out/torch.err"
  echo "torch exit $?"; tail -3 "$out/torch.err"
  "$py" -c 'import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l); print(r.get("op"), r.get("host",""), r.get("precision",""), r.get("dim"), "%.4f s" % r.get("seconds_median", float("nan")), "%.0f GFLOP/s" % r.get("gflops", float("nan")))' "$out/torch.jsonl"
  fi
  if has upload-rows; then
  # rows per upload against the Gram's time; the tests first, since the setting changes how products are issued
  echo "== upload rows"
  for u in 8192 32768; do
    for c in dev.rba.core.linalg.CudaBackendTest dev.rba.core.linalg.CudaTf32BackendTest; do
      echo "$c, uploads of $u rows: $(timeout 60 "${java[@]}" -Drba.cuda.uploadRows=$u -jar "$root/.device-kit/lib/junit-platform-console-standalone-1.14.1.jar" \
        execute --disable-banner --details=summary --details-theme=ascii -cp "$cp" --select-class $c 2>&1 | grep -E "tests (successful|failed)" | tr -s ' ' | tr '\n' ' ')"
    done
  done
  for u in 8192 32768 65536; do
    timeout 60 "${java[@]}" -Drba.cuda.uploadRows=$u -cp "$cp" dev.rba.cli.Main bench linalg --backend cuda --rows 1000000 --dim 768 \
      --batch-rows 65536 --repeats 7 --ops gram,gram-pinned 2>/dev/null | grep -E "^cuda|uploads of" | sed 's/.*TF32/TF32/'
  done | tee "$out/upload-rows.txt"
  fi
  if has e2e; then
    echo "== end to end"
    for b in cuda openblas; do
      timeout 60 rba analyze fixtures/models/vit_fmnist_b8.onnx --data fixtures/data/fashion-mnist --split train --samples 500 --backend $b --report "$out/analyze-$b.json" > "$out/analyze-$b.txt" 2>&1; echo "analyze $b exit $?"
      timeout 60 rba approximate fixtures/models/vit_fmnist_b8.onnx --data fixtures/data/fashion-mnist --split train --samples 500 --replace 5-6 --backend $b -o "$out/approx-$b.onnx" --json > "$out/approx-$b.json" 2>&1; echo "approximate $b exit $?"
    done
    "${java[@]}" -cp "$cp" dev.rba.core.tools.CompareInitializers "$out/approx-cuda.onnx" "$out/approx-openblas.onnx" > "$out/t-compare.txt" 2>&1
    cat "$out/t-compare.txt"
    diff <(grep -E "^[0-9]+ " "$out/analyze-cuda.txt") <(grep -E "^[0-9]+ " "$out/analyze-openblas.txt") > "$out/analyze-diff.txt" && echo "analysis tables identical" || head -20 "$out/analyze-diff.txt"
  fi
  # one archive: the device returns only a few files
  tar -czf "$out.tgz" -C "$(dirname "$out")" "$(basename "$out")" && rm -rf "$out"; ls -la "$out.tgz" ;;
*) echo "usage: tools/gpu-check.sh pack|run" >&2; exit 2 ;;
esac
