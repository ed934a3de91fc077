#!/usr/bin/env bash
# Trains the edge image's ahead-of-time cache (JDK 25+; docs/adr/0015-memory-defaults.md) with the image's own
# runtime and class path, and writes what the image maps at start:
#   OUT_DIR/edge.aot   the cache (/app/aot/edge.aot in the image)
#   OUT_DIR/jvm.args   the java options that use it (the entrypoint reads @/app/aot/jvm.args): the cache, and
#                      eager compilation of what the training compiled where the image's java has it; without a cache
#                      it holds only a comment, so the edge starts as before
# IMAGE.tar is the edge image without the cache (a docker-archive written by Jib). Its layers are unpacked
# here, and the launcher's training (bin/lib/aot.sh: a loopback edge driven by rounds of loadgen
# connections) runs with the unpacked java, class path and JVM_OPTIONs; the JVM maps the cache at /app
# later because the class path differs only by its prefix. A runtime older than 25, or a training that
# fails, leaves no cache (the image works without; the build goes on).
#
#   deploy/images/train-aot.sh IMAGE.tar OUT_DIR JVM_OPTION...
set -euo pipefail
image=${1:?usage: train-aot.sh IMAGE.tar OUT_DIR JVM_OPTION...}
out=${2:?usage: train-aot.sh IMAGE.tar OUT_DIR JVM_OPTION...}
shift 2
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
rm -f "$out/edge.aot"
echo "# no ahead-of-time cache in this image" > "$out/jvm.args"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image" "$work/root"
tar -xf "$image" -C "$work/image"
# The layers in the manifest's order (base first), each a tar (gzipped or not).
for layer in $(sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' "$work/image/manifest.json" | tr ',' '\n' | tr -d '"'); do
  tar -xf "$work/image/$layer" -C "$work/root" --no-same-owner --warning=no-unknown-keyword
done
export JAVA_HOME=$work/root/opt/java/openjdk
major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1)
if [ "${major:-0}" -lt 25 ]; then
  echo "train-aot.sh: the image's java is ${major:-unknown}, an ahead-of-time cache needs 25+: none" >&2
  exit 0
fi
classpath=$(sed "s#/app/#$work/root/app/#g" "$work/root/app/jib-classpath-file")
. "$here/bin/lib/aot.sh"
if aot_training_run "$classpath" "$work/edge.aot" "$@"; then
  mv "$work/edge.aot" "$out/edge.aot"
  printf '%s\n' "-XX:AOTCache=/app/aot/edge.aot" "-Xlog:aot=off" > "$out/jvm.args"
  cat "$work/edge.aot.opts" >> "$out/jvm.args"   # eager compilation, where the image's java has it
  echo "train-aot.sh: $out/edge.aot ($(du -m "$out/edge.aot" | cut -f1) MB)" >&2
else
  cp "$work/edge.aot.log" "$out/edge.aot.log" 2>/dev/null || true
  echo "train-aot.sh: the training failed ($out/edge.aot.log): the image has no cache" >&2
fi
