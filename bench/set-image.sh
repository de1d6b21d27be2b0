#!/usr/bin/env bash
# Benchmark: `./gitops set-image` (whole process, JVM start included, heap capped at 256 MB) against
# `grep -rl IMAGE . | xargs sed -i ...` on a generated config repo of 10,000 YAML files.
# Options: --rounds N (default 7), --apps N (default 2000), --jvm-options (also time JVM option sets),
# --warm N (also time the engine called in the benchmark's JVM, as Jenkins runs it, after N warm-up calls).
# Needs GNU time (Debian package `time`) for peak RSS; without it RSS shows as 0.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests package \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test   # gitops.jar and the compiled harness
exec java -Xmx256m -cp "core/target/test-classes:core/target/classes:$(cat core/target/bench.classpath)" \
  io.jenkins.plugins.gitops.core.bench.SetImageBench "$@"
