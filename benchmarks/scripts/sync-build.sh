#!/usr/bin/env bash
# Builds a private copy of the repository (HEAD plus this checkout's edge-server changes) in $1,
# so that benchmark builds neither disturb nor pick up other work in progress in the shared tree.
set -euo pipefail
DEST=${1:-/tmp/sbperf}; SRC=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p "$DEST"
(cd "$SRC" && git archive HEAD | tar -x -C "$DEST")  # refresh from HEAD every time
E=edge-server/src/main/java/dev/switchboard/edge
for f in hub session/Session.java session/FrameReader.java session/Sweeper.java session/Subscriptions.java pipeline; do
  rsync -a "$SRC/$E/$f" "$DEST/$E/$(dirname $f)/"
done
rsync -a "$SRC/benchmarks/scripts/" "$DEST/benchmarks/scripts/"
(cd "$DEST" && ./mvnw -B -q -o package -pl switchboard -am -DskipTests 2>&1 | grep -E "ERROR|BUILD" | head -20) || true
touch "$DEST/switchboard/target/lib/.built"
