# Sourced by bin/ scripts: exports JAVA_HOME pointing at a JDK 21 or newer,
# preferring $JAVA_HOME, then `java` on the PATH, then the newest JDK found in
# the usual install folders.

_sb_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1 | cut -d. -f1
}

_sb_find_java_home() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(_sb_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(_sb_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ]; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(_sb_java_major "$candidate")
    if [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  if [ "$best_major" -ge 21 ]; then echo "$best"; return 0; fi
  return 1
}

if ! JAVA_HOME=$(_sb_find_java_home); then
  echo "switchboard: needs JDK 21 or newer; set JAVA_HOME to one" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
