#!/usr/bin/env bash
# Benchmark of the sync-and-wait through the Kubernetes API (Application custom resource), against fabric8's mock
# Kubernetes API with the real Application CRD and the simulated controller, in-process:
#   1. delay from the app reaching its final state to the waiter returning (median, p99) over --runs N (default 100);
#   2. --concurrent N (default 200) waits in one JVM: threads started with them, heap used.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -Dgitops.shared.dir="$(cd .. && pwd)/shared" \
  -cp "core/target/test-classes:core/target/classes:$(cat core/target/bench.classpath)" \
  io.jenkins.plugins.gitops.core.bench.KubernetesSyncWaitBench "$@"
