# Sourced by the study runners (run_study.sh, run_round5.sh, run_round6.sh) after tools/find-jdk25.sh:
#   rba_study_java DIR HEAP
# builds the CLI when its jar is missing or stale, copies it with its libraries to DIR/cp.PID (so that a rebuild
# during a long run cannot change the classes under it; removed on exit) and sets the array java to the command that
# runs the study's single-file programs against that copy with HEAP (e.g. 4g).
rba_study_java() {
  ./rba --version >/dev/null 2>&1
  cp="$1/cp.$$"; rm -rf "$cp" && mkdir -p "$cp" && cp -r cli/target/rba-cli.jar cli/target/lib "$cp/"
  trap 'rm -rf "$cp"' EXIT
  java=("$RBA_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector "-Xmx$2"
        -cp "$cp/rba-cli.jar")
}
