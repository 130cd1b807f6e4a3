#!/usr/bin/env bash
# Scale harness: real-size ViTs (random weights, generated, never committed) through a plain ONNX Runtime forward
# pass and rba's analyze, approximate --replace, approximate --remove and evaluate on the same samples.
#
#   tools/scale/run.sh [--models b,l,h] [--samples N|b=N,l=N,h=N] [--rba PATH] [--out DIR] [--remove K]
#                      [--steps inspect,analyze,replace,remove,evaluate,latency] [--forward-once]
#                      [--analyze-args "--metric br,cosine,mse"] [--evaluate-args "--latency-repeats 0"]
#                      [--latency-repeats N]
#
# Every command reads the same N images (a file of exactly N, so rba's defaults apply as for a user: analyze and
# approximate --replace fit on all N; --remove fits on half and checks candidates on the other half). Each rba
# command runs between two plain forward passes (F rba F rba F ...: the machine is shared and noisy, so each
# command is compared with the passes around it); its ratio is its wall time over the mean of those two. Wall time
# and peak RSS are whole processes under /usr/bin/time -v (JVM start and model load included, for both). The plain
# pass is tools/scale/java/OrtForward.java: ONNX Runtime's default session options, batches of 32 = rba's default
# --batch-size. With b in --models, the rewritten ViT-B (--replace) and the original are timed at batch 32 in one
# process, alternating, --latency-repeats times each (default 3; step latency), and rba inspect gives both models'
# MACs per sample for the latency target. One JSON object per measurement goes to OUT/results.jsonl
# (render: tools/scale/render.py). --forward-once: one plain pass per model, before its rba commands (when only
# success and peak RSS are asked, as for ViT-H; ratios are then against that one pass). approximate and evaluate end
# with a "rba: time: ..." line (the wall time of each stage), which the results keep (rba_times).
# Defaults: --samples b=64,l=16,h=8, --remove 3, this checkout's ./rba.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
. tools/find-jdk25.sh
rba_find_jdk25

invocation="tools/scale/run.sh $*"
models=b,l,h
samples_spec=b=64,l=16,h=8
rba=$repo/rba
out=
remove=3
steps=inspect,analyze,replace,remove,evaluate,latency
forward_once=0
analyze_args=
evaluate_args=
latency_repeats=3
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models=$2; shift 2 ;;
    --samples) samples_spec=$2; shift 2 ;;
    --rba) rba=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --remove) remove=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --forward-once) forward_once=1; shift ;;
    --analyze-args) analyze_args=$2; shift 2 ;;
    --evaluate-args) evaluate_args=$2; shift 2 ;;
    --latency-repeats) latency_repeats=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
done
[ -x "$rba" ] || { echo "run.sh: --rba $rba is not an executable rba launcher" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

samples_for() {  # samples_for KEY: N from "N" or "b=N,l=N,..."
  case "$samples_spec" in
    *=*) echo "$samples_spec" | tr ',' '\n' | sed -n "s/^$1=//p" ;;
    *) echo "$samples_spec" ;;
  esac
}
for k in ${models//,/ }; do
  n=$(samples_for "$k"); [ -n "$n" ] || { echo "run.sh: no sample count for model $k in --samples $samples_spec" >&2; exit 2; }
done

rba_home=$(dirname "$rba")
# The commit that last changed rba's sources (a checkout whose later commits only touched tools/ or docs/ runs the
# same rba), and HEAD.
commit=$(git -C "$rba_home" log -1 --format=%h --abbrev=12 -- pom.xml '*/pom.xml' '*/src/main/*')
head=$(git -C "$rba_home" rev-parse --short=12 HEAD)
# Modified tracked sources of the rba checkout measured (its commit alone would not say what ran).
dirty=$(git -C "$rba_home" status --porcelain --untracked-files=no -- pom.xml '*/pom.xml' '*/src/main/*' | grep -c . || true)
# The launcher rebuilds a stale jar: this checkout's is built first; another checkout's is used as it is (never
# built from here), and machine.json records whether a source there is newer than its jar.
if [ "$rba_home" = "$repo" ]; then "$rba" --version > /dev/null; fi
export RBA_NO_BUILD=1
jar_stale=0
[ -n "$(find "$rba_home"/*/src/main -newer "$rba_home/cli/target/rba-cli.jar" -type f 2>/dev/null | head -1)" ] && jar_stale=1
scale=$repo/models/scale
out=${out:-$scale/run-$commit-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
if [ "$rba_home" != "$repo" ]; then
  # Another checkout may rebuild its jar while a command runs from it: run a copy of its launcher and jars instead.
  snap=$out/rba-snapshot
  mkdir -p "$snap/cli/target" "$snap/tools"
  cp "$rba_home/rba" "$snap/"
  cp "$rba_home/tools/find-jdk25.sh" "$snap/tools/"
  cp -r "$rba_home/cli/target/rba-cli.jar" "$rba_home/cli/target/lib" "$snap/cli/target/"
  rba=$snap/rba
fi
results=$out/results.jsonl
: > "$results"

counts=$(for k in ${models//,/ }; do samples_for "$k"; done | sort -un | paste -sd,)
/usr/bin/python3 tools/scale/make_models.py "$scale" --models "$models" --samples "$counts" >&2
cp "$scale/models.json" "$out/models.json"

ort_jar=$(ls "$HOME"/.m2/repository/com/microsoft/onnxruntime/onnxruntime/*/onnxruntime-*.jar | grep -v sources | sort -V | tail -1)
mkdir -p "$out/classes"
"$RBA_JAVA_HOME/bin/javac" -d "$out/classes" -cp "$ort_jar" tools/scale/java/OrtForward.java
forward=("$RBA_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$out/classes:$ort_jar" OrtForward)

/usr/bin/python3 - "$out/machine.json" "$commit" "$dirty" "$rba_home" "$jar_stale" "$invocation" "$head" <<'EOF'
import json, os, platform, subprocess, sys, datetime
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
json.dump({"commit": sys.argv[2], "dirty_files": int(sys.argv[3]), "rba_checkout": sys.argv[4],
           "jar_older_than_sources": sys.argv[5] == "1", "invocation": sys.argv[6], "head": sys.argv[7],
           "nproc": os.cpu_count(),
           "cpu": cpu, "mem_gib": round(mem / 2**20, 1), "kernel": platform.release(),
           "load_at_start": os.getloadavg(), "date": datetime.datetime.utcnow().isoformat(timespec="seconds") + "Z"},
          open(sys.argv[1], "w"), indent=1)
EOF

step=0
measure() {  # measure MODEL KIND COMMAND...: runs it under /usr/bin/time -v, appends one JSON line
  local model=$1 kind=$2; shift 2
  step=$((step + 1))
  local log=$out/$(printf %02d "$step")-$model-$kind
  echo "[$(date -u +%H:%M:%S)] $model $kind: $*" >&2
  local rc=0
  /usr/bin/time -v -o "$log.time" "$@" > "$log.out" 2> "$log.err" || rc=$?
  /usr/bin/python3 tools/scale/parse_step.py "$log" "$model" "$kind" "$rc" "$*" >> "$results"
  tail -1 "$results" | cut -c1-200 >&2
}

wants() { case ",$steps," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

plain_pass() {  # plain_pass MODEL_STEM MODEL DATA N: the forward pass that follows an rba command
  [ "$forward_once" = 1 ] || measure "$1" forward "${forward[@]}" "$2" "$3" "$4" 32
}

replace_span() {
  case "$1" in b) echo 9-10 ;; *) echo 20-21 ;; esac
}
stem_of() {
  case "$1" in b) echo vit_b16 ;; l) echo vit_l16 ;; h) echo vit_h14 ;; esac
}

for k in ${models//,/ }; do
  n=$(samples_for "$k")
  data=$scale/images_224_$n.npz
  stem=$(stem_of "$k")
  m=$scale/$stem.onnx
  span=$(replace_span "$k")
  measure "$stem" forward "${forward[@]}" "$m" "$data" "$n" 32
  # inspect is cheap next to the rest except past 2 GB, where reading the model is the question (issue 11, item 4).
  if [ "$k" = h ] && wants inspect; then measure "$stem" inspect "$rba" inspect "$m"; fi
  if wants analyze; then
    measure "$stem" analyze "$rba" analyze "$m" --data "$data" --report "$out/$stem.analyze.json" $analyze_args
    plain_pass "$stem" "$m" "$data" "$n"
  fi
  if wants replace || wants evaluate || wants latency; then
    measure "$stem" "replace-$span" "$rba" approximate "$m" --data "$data" --replace "$span" \
        -o "$out/$stem.replace.onnx"
    plain_pass "$stem" "$m" "$data" "$n"
  fi
  if wants remove; then
    measure "$stem" "remove-$remove" "$rba" approximate "$m" --data "$data" --remove "$remove" \
        -o "$out/$stem.remove.onnx"
    plain_pass "$stem" "$m" "$data" "$n"
  fi
  if wants evaluate && [ -f "$out/$stem.replace.onnx" ]; then
    measure "$stem" evaluate "$rba" evaluate "$out/$stem.replace.onnx" --baseline "$m" --data "$data" $evaluate_args
    plain_pass "$stem" "$m" "$data" "$n"
  fi
  if [ "$k" = b ] && wants latency && [ -f "$out/$stem.replace.onnx" ]; then
    # MACs per sample of both models, as rba inspect counts them (parse_step.py reads them from the environment)
    RBA_SCALE_MACS=$(for f in "$m" "$out/$stem.replace.onnx"; do
      "$rba" inspect --json "$f" 2> /dev/null | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["macs_per_sample"])'
    done | paste -sd' ')
    export RBA_SCALE_MACS
    measure "$stem" latency-original-vs-replaced "${forward[@]}" "$m,$out/$stem.replace.onnx" "$data" 32 32 \
        "$latency_repeats"
    unset RBA_SCALE_MACS
  fi
  # Generated models are large: keep only the results.
  rm -f "$out/$stem".replace.onnx* "$out/$stem".remove.onnx*
done
echo "results: $results" >&2
