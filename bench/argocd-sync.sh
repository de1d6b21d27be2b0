#!/usr/bin/env bash
# Benchmark of the Argo CD sync-and-wait against the in-process fake Argo CD:
#   1. delay from the app reaching its final state to the waiter returning (median, p99) over --runs N (default 300);
#   2. --concurrent N (default 200) waits in one JVM: peak live threads and heap used.
# Heap capped at 256 MB so that the figure means something.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -cp "core/target/test-classes:core/target/classes:$(cat core/target/bench.classpath)" \
  io.jenkins.plugins.gitops.core.bench.SyncWaiterBench "$@"
