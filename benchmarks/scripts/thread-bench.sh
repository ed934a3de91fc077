#!/usr/bin/env bash
# What a thread reply costs as its thread grows, on PostgreSQL (127.0.0.1:5432, trust auth, a fresh database):
# docs/benchmarks.md, "A reply in a long thread".
# Usage: thread-bench.sh [replies=4000] [step=1000]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# In the reactor, so that the sibling modules resolve to their target/classes (nothing is installed).
./mvnw -B -ntp -q -o -pl message-service -am test-compile dependency:build-classpath -Dfuzz.skip \
    -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/message-service/target/thread-bench.cp"
exec "$JAVA_HOME/bin/java" -Xmx512m \
    -cp "message-service/target/test-classes:message-service/target/classes:$(cat message-service/target/thread-bench.cp)" \
    dev.switchboard.message.store.bench.ThreadBench "$@"
