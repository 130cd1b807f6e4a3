#!/usr/bin/env bash
# Runs this module's CUDA tests on a GPU host that has no Java and no network (the device kit packs a jlinked Java and the jars).
#   native-bindings/device-check.sh pack   # here: builds native-bindings/target/device-kit (~23 MB: jlinked JRE, jars)
#   bash native-bindings/device-check.sh run   # there, from the repo root, with carry: ["native-bindings/target/device-kit"]
# 'run' first runs CudaRuntimeTest with no LD_LIBRARY_PATH (the loader's own discovery), then all CUDA tests with
# CUDA's folder on LD_LIBRARY_PATH, then CusolverTest with only -Drba.cuda.path (sibling preloading).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
kit=native-bindings/target/device-kit
junit=org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar
case "${1:-}" in
pack)
  ./mvn25 -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1
  ./mvn25 -B -q -o -pl native-bindings package -DskipTests
  ./mvn25 -B -q -o -pl native-bindings test-compile
  . tools/find-jdk25.sh && rba_find_jdk25
  rm -rf "$kit" && mkdir -p "$kit/lib"
  cp native-bindings/target/rba-native-bindings-*.jar "$HOME/.m2/repository/$junit" "$kit/lib/"
  (cd native-bindings/target/test-classes && "$RBA_JAVA_HOME/bin/jar" cf "$root/$kit/lib/rba-native-bindings-tests.jar" .)
  "$RBA_JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,java.management,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output /tmp/rba-nb-jre.$$ 2>&1 | grep -v incubator || true
  tar -cJf "$kit/jre.tar.xz" -C /tmp/rba-nb-jre.$$ . && rm -rf /tmp/rba-nb-jre.$$
  du -sh "$kit" ;;
run)
  mkdir -p /tmp/jre && tar -xJf "$kit/jre.tar.xz" -C /tmp/jre
  java=(/tmp/jre/bin/java --enable-native-access=ALL-UNNAMED)
  cp=$(ls "$kit"/lib/rba-*.jar | tr '\n' :)
  launch=(-jar "$kit/lib/$(basename $junit)" execute --disable-banner --details=tree -cp "$cp")
  nvidia-smi -L || true
  find_dir() { dirname "$(find / -name "$1" -not -path '/proc/*' 2>/dev/null | head -1)"; }
  echo "== 1: discovery with no LD_LIBRARY_PATH"
  env -u LD_LIBRARY_PATH "${java[@]}" "${launch[@]}" --select-class dev.rba.nativelib.cuda.CudaRuntimeTest 2>&1 | tail -30
  lib=$(find_dir 'libcublas.so.*'); solver=$(find_dir 'libcusolver.so.*')
  echo "== 2: LD_LIBRARY_PATH=$lib:$solver"
  LD_LIBRARY_PATH="$lib:$solver" "${java[@]}" "${launch[@]}" --select-package dev.rba.nativelib.cuda 2>&1 | tail -60
  echo "== 3: -Drba.cuda.path=$solver"
  env -u LD_LIBRARY_PATH "${java[@]}" -Drba.cuda.path="$solver" "${launch[@]}" --select-class dev.rba.nativelib.cuda.CusolverTest 2>&1 | tail -20 ;;
*) echo "usage: native-bindings/device-check.sh pack|run" >&2; exit 2 ;;
esac
