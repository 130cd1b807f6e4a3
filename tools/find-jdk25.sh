# Sourced by ./rba, ./mvn25 and .ci/run: sets RBA_JAVA_HOME to a JDK 25 or newer, or explains and fails.
# Order: $JAVA_HOME, then the usual install folders, then `java` on PATH.
rba_java_major() {  # prints the feature version of the java binary in $1/bin/java, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}
rba_find_jdk25() {
  local tried="" c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    v=$(rba_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ -x "$c/bin/javac" ]; then RBA_JAVA_HOME="$c"; export RBA_JAVA_HOME; return 0; fi
    tried="$tried $c(${v:-no java})"
  done
  echo "rba: no JDK 25 or newer found (tried:${tried:- nothing}). Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
