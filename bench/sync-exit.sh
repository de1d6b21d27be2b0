#!/usr/bin/env bash
# Benchmark: `gitops sync` as a whole process (java -jar core/target/gitops.jar with the launcher's JVM options), from
# the outcome line on stdout to the process's exit, on the Argo CD API path (fake Argo CD) and the Kubernetes API path
# (fabric8's mock server). Options: --rounds N (default 15); --jar PATH, repeatable, to compare builds; --java-options
# "OPTIONS", repeatable, JVM options added to the launcher's (each jar runs with each set; the rounds alternate them).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests package \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -Dgitops.shared.dir="$(cd .. && pwd)/shared" \
  -cp "core/target/test-classes:core/target/classes:$(cat core/target/bench.classpath)" \
  io.jenkins.plugins.gitops.core.bench.SyncExitBench "$@"
