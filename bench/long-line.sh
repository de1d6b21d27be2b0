#!/usr/bin/env bash
# Benchmark: planning a set-image on a values file with one long line (1 and 6 MiB by default: plain scalar,
# double-quoted scalar, comment), against SnakeYAML's stock reader composing the same text once.
# Options: --sizes 1,6 --rounds N (default 3) --skip-stock.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx1g -cp "core/target/test-classes:core/target/classes:$(cat core/target/bench.classpath)" \
  io.jenkins.plugins.gitops.core.bench.LongLineBench "$@"
