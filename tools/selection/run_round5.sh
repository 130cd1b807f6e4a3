#!/usr/bin/env bash
# The selection study's fifth round: labelled checks. Design fixed 2026-12-02 about 16:25, before any result of the fresh
# members (the last four of train_zoo.sh, trained for this round) existed:
#  1. every set of K blocks of every classifier of the zoo is fitted as `rba approximate --remove K` fits it, and its
#     class scores are recorded on the command's own 500 held-out calibration samples and on the test images
#     (tools/selection/java/SetOutputs.java; about 12 MB per 8-block model, 90 MB per 12-block one: kept in
#     $RBA_ROUND5_DUMPS, not committed);
#  2. tools/selection/simulate_checks.py replays the staged check on those outputs under several rules (what the
#     stages order by: KL, the true label's log-loss change, Brier, the drop, blends of KL and the log-loss change) and
#     scores each rule's choice on the test images: docs/selection/study/round5/simulation.json;
#  3. the rule was chosen on the 15 earlier classifiers (all of them 'seen' from this round on) and the fresh members
#     are reported apart; on them `rba approximate --remove K` itself also runs, with the new default and with
#     --label-weight 0 (the earlier default), and `rba analyze` (one calibration pass) for the time ratio:
#     docs/selection/study/round5/NAME.cli.json.
# Then render_study.py re-renders docs/selection.md (its round-5 section comes from round5/).
# One command: tools/selection/run_round5.sh (trains missing zoo members first, like run_study.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tools/find-jdk25.sh; rba_find_jdk25
out=docs/selection/study/round5
dumps=${RBA_ROUND5_DUMPS:-/tmp/rba-study/round5}
mkdir -p "$out" "$dumps"
[ "${RBA_STUDY_SKIP_TRAINING:-0}" = 1 ] || tools/selection/train_zoo.sh
[ -f models/zoo/data/cls59-test.npz ] || /usr/bin/python3 tools/selection/make_study_data.py

. tools/selection/study_java.sh; rba_study_java "$dumps" 4g
cal=models/calibration-3000
fm10k=/usr/share/datasets/fashion-mnist
z=models/zoo

# name | model | calibration data | test data | K | test samples | splits | fresh (also run the command)
member() {
  local name=$1 model=$2 cdata=$3 tdata=$4 k=$5 limit=$6 csplit=$7 tsplit=$8 fresh=$9
  [ -z "${RBA_STUDY_ONLY:-}" ] || case " $RBA_STUDY_ONLY " in *" $name "*) ;; *) return 0 ;; esac
  [ -f "$model" ] || { echo "== $name: $model missing, skipped" >&2; return 0; }
  echo "== $name $(date +%H:%M:%S)" >&2
  if [ ! -f "$dumps/$name/meta.json" ]; then
    nice -n 10 "${java[@]}" tools/selection/java/SetOutputs.java "$model" "$cdata" "$tdata" "$k" "$limit" \
      "$dumps/$name" "$csplit" "$tsplit" 2> "$dumps/$name.log"
  fi
  [ "$fresh" = fresh ] && [ ! -f "$out/$name.cli.json" ] || return 0
  local sp=(); [ "$csplit" = - ] || sp=(--split "$csplit")
  local t0 t1 t2 t3
  t0=$(date +%s.%N)
  nice -n 10 ./rba approximate "$model" --data "$cdata" "${sp[@]}" --remove "$k" --threads 1 --json -q \
    -o "$dumps/$name.cli.onnx" > "$dumps/$name.cli.part" 2> "$dumps/$name.cli.log"
  t1=$(date +%s.%N)
  nice -n 10 ./rba approximate "$model" --data "$cdata" "${sp[@]}" --remove "$k" --label-weight 0 --threads 1 --json -q \
    -o "$dumps/$name.kl.onnx" > "$dumps/$name.kl.part" 2>> "$dumps/$name.cli.log"
  t2=$(date +%s.%N)
  nice -n 10 ./rba analyze "$model" --data "$cdata" "${sp[@]}" --threads 1 -q > /dev/null 2>> "$dumps/$name.cli.log"
  t3=$(date +%s.%N)
  /usr/bin/python3 -c 'import json, sys; a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
print(json.dumps({"approximate_wall_seconds": float(sys.argv[3]), "analyze_wall_seconds": float(sys.argv[5]),
  "label_weight_0_wall_seconds": float(sys.argv[4]), "selection": a["selection"], "label_weight_0": b["selection"]}, indent=1))' \
    "$dumps/$name.cli.part" "$dumps/$name.kl.part" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" \
    "$(echo "$t3 - $t2" | bc)" > "$out/$name.cli.json"
  rm -f "$dumps/$name.cli.onnx" "$dumps/$name.kl.onnx" "$dumps/$name.cli.part" "$dumps/$name.kl.part"
}
# fresh, held out in round 5 (train_zoo.sh's last four)
member z_d48_b12_aug21  $z/z_d48_b12_aug21.onnx  $cal $fm10k 3 10000 train test fresh
member z_d64_b8_postaug $z/z_d64_b8_postaug.onnx $cal $fm10k 2 10000 train test fresh
member z_d56_b8_s23     $z/z_d56_b8_s23.onnx     $cal $fm10k 2 10000 train test fresh
member z_d40_b12_s24    $z/z_d40_b12_s24.onnx    $cal $fm10k 3 10000 train test fresh
# seen: every earlier classifier (the BERT fixture has no labels: a labelled rule is KL there; e5 is not class scores)
member z_d48_b8_pre    $z/z_d48_b8_pre.onnx    $cal $fm10k 2 10000 train test seen
member vit_fmnist_b8   fixtures/models/vit_fmnist_b8.onnx  $cal $fm10k 2 10000 train test seen
member tv_vit_opset17  fixtures/models/tv_vit_opset17.onnx $cal $fm10k 1 10000 train test seen
member z_d48_b6_post   $z/z_d48_b6_post.onnx   $cal $fm10k 2 10000 train test seen
member z_d32_b6_long   $z/z_d32_b6_long.onnx   $cal $fm10k 2 10000 train test seen
member z_d32_b8_p4     $z/z_d32_b8_p4.onnx     $cal $fm10k 2 10000 train test seen
member z_d64_b8_cls5   $z/z_d64_b8_cls5.onnx   $z/data/cls5-train.npz $z/data/cls5-test.npz 2 10000 - - seen
member z_d96_b6_p7     $z/z_d96_b6_p7.onnx     $cal $fm10k 2 10000 train test seen
member z_d48_b8_s11    $z/z_d48_b8_s11.onnx    $cal $fm10k 2 10000 train test seen
member z_d40_b8_post   $z/z_d40_b8_post.onnx   $cal $fm10k 2 10000 train test seen
member z_d64_b8_aug59  $z/z_d64_b8_aug59.onnx  $z/data/cls59-train.npz $z/data/cls59-test.npz 2 10000 - - seen
member z_d32_b12_aug   $z/z_d32_b12_aug.onnx   $cal $fm10k 3 10000 train test seen
member z_d64_b12_post  $z/z_d64_b12_post.onnx  $cal $fm10k 3 10000 train test seen
member vit12_d64       models/vit12_d64.onnx   $cal $fm10k 3 10000 train test seen
member vit12_d128      models/vit12_d128.onnx  $cal $fm10k 3 2000 train test seen

[ -n "${RBA_STUDY_ONLY:-}" ] && exit 0
RULES=kl,nll,brier,drop,sig2,mix10,mix25,mix50,mix75 CANDIDATES=4,8,16 nice -n 10 /usr/bin/python3 \
  tools/selection/simulate_checks.py "$dumps" --json "$out/simulation.json" > "$dumps/simulation.log"
/usr/bin/python3 tools/selection/render_study.py docs/selection/study docs/selection.md
