#!/usr/bin/env bash
# Message store benchmark (issue #19): send throughput/latency and history page latency on
# PostgreSQL (127.0.0.1:5432, trust auth, a fresh database) and on a three-node Cassandra ring
# (test-support's CassandraRing), in one JVM and one run. docs/benchmarks.md, "Message store".
# Usage: store-bench.sh [channels=16] [senders=32] [send seconds=25] [warm-up seconds=5] [paxos variants=v1, e.g. v1,v2]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -ntp -q -o -pl cassandra-server generate-resources
# In the reactor, so that the sibling modules resolve to their target/classes (nothing is installed).
./mvnw -B -ntp -q -o -pl message-service -am test-compile dependency:build-classpath -Dfuzz.skip \
    -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/message-service/target/store-bench.cp"
exec "$JAVA_HOME/bin/java" -Xmx1g -Dswitchboard.cassandra.lib="$PWD/cassandra-server/target/lib" \
    -cp "message-service/target/test-classes:message-service/target/classes:$(cat message-service/target/store-bench.cp)" \
    dev.switchboard.message.store.bench.StoreBench "$@"
