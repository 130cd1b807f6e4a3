#!/usr/bin/env bash
# Regenerates rba's FFM bindings with jextract, for someone who has it, so the hand-written classes in
# native-bindings/ can be diffed against what jextract makes from the real headers. It binds exactly the functions
# listed in native-bindings/src/main/resources/dev/rba/nativelib/bindings.txt (one jextract run per header) into a
# scratch folder, then compares the public method signatures of both trees.
#
#   cmake/regenerate-bindings.sh [CUDA_INCLUDE_DIR] [OPENBLAS_INCLUDE_DIR]
#
# CUDA_INCLUDE_DIR defaults to $CUDA_HOME/include or /usr/local/cuda/include (needs cuda_runtime_api.h, cublas_api.h,
# cusolverDn.h); OPENBLAS_INCLUDE_DIR to Debian's /usr/include/x86_64-linux-gnu/openblas-pthread (cblas.h) with
# /usr/include (lapacke.h). JEXTRACT overrides the jextract command; OUT the scratch folder (default target/jextract).
# Expected differences: jextract also emits $descriptor/$handle/$address helpers and every constant of each header.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
list="$root/native-bindings/src/main/resources/dev/rba/nativelib/bindings.txt"
hand="$root/native-bindings/src/main/java"
cuda_inc=${1:-${CUDA_HOME:-/usr/local/cuda}/include}
blas_inc=${2:-/usr/include/x86_64-linux-gnu/openblas-pthread}
jextract=${JEXTRACT:-jextract}
out=${OUT:-$root/target/jextract}
command -v "$jextract" >/dev/null || { echo "jextract not found: install it from https://jdk.java.net/jextract and put it on PATH, or set JEXTRACT" >&2; exit 2; }

# header | package | class | library | include folders
targets="cuda_runtime_api.h|cuda|cuda_runtime_api_h|cudart|$cuda_inc
cublas_api.h|cublas|cublas_api_h|cublas|$cuda_inc
cusolverDn.h|cusolver|cusolverDn_h|cusolver|$cuda_inc
cblas.h|cblas|cblas_h|openblas|$blas_inc
lapacke.h|lapacke|lapacke_h|lapacke|$blas_inc:/usr/include"

rm -rf "$out" && mkdir -p "$out/src"
status=0
while IFS='|' read -r header pkg cls lib incs; do
  # function names for this header, plus any alternative exported names given with symbols=
  names=$(awk -F'|' -v h="$header" '!/^[[:space:]]*#/ && NF >= 3 { gsub(/[[:space:]]/, "", $2); if ($2 == h) print $3 "|" $4 }' "$list" \
    | sed -E 's/^[^(]*[^[:alnum:]_]([[:alnum:]_]+)\(.*\|/\1 /; s/symbols=//; s/,/ /g; s/critical//g')
  args=()
  for n in $names; do args+=(--include-function "$n"); done
  inc_args=()
  IFS=':' read -r -a inc_dirs <<< "$incs"
  for d in "${inc_dirs[@]}"; do inc_args+=(-I "$d"); done
  hdr=""
  for d in "${inc_dirs[@]}"; do [ -f "$d/$header" ] && hdr="$d/$header" && break; done
  if [ -z "$hdr" ]; then echo "skip $header: not found in $incs" >&2; status=1; continue; fi
  echo "jextract $hdr -> dev.rba.nativelib.$pkg.$cls (${#args[@]} options)"
  "$jextract" --output "$out/src" --target-package "dev.rba.nativelib.$pkg" --header-class-name "$cls" \
      --library "$lib" "${inc_args[@]}" "${args[@]}" "$hdr"
  # compare the public static method signatures (name and parameter types) of the two classes
  sig() { grep -hoE 'public static [A-Za-z.]+ [A-Za-z0-9_]+\([^)]*\)' "$1" | grep -v '\$' \
            | sed -E 's/\b[A-Za-z0-9_]+(,|\))/\1/g; s/ +/ /g; s/ ,/,/g; s/ \)/)/g' | grep -v ' library()' | sort -u; }
  sig "$hand/dev/rba/nativelib/$pkg/$cls.java" > "$out/$cls.hand.txt"
  sig "$out/src/dev/rba/nativelib/$pkg/$cls.java" > "$out/$cls.jextract.txt"
  if diff -u "$out/$cls.jextract.txt" "$out/$cls.hand.txt" > "$out/$cls.diff"; then
    echo "  $cls: signatures match"
  else
    echo "  $cls: signatures differ, see $out/$cls.diff"; status=1
  fi
done <<< "$targets"
exit $status
