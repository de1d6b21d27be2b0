#!/usr/bin/env bash
# Benchmark: `gitops update` (whole process: java -jar core/target/gitops.jar) against the seed-style script
# `git clone --depth 1 && sed -i && git commit && git push`, on a generated config repository of 20,000 files
# and 5,000 commits served over smart HTTP with basic auth on 127.0.0.1 (git-http-backend); then 16 concurrent
# updaters of each kind. Options: --files N --file-bytes N (seeded random text in each app's ConfigMap, to give the
# repository the weight of real blobs: --files 100000 --file-bytes 50000 makes about 1 GB) --commits N --rounds N
# (default 7) --concurrent N (default 16; 0 skips that part) --gitops COMMAND, repeatable to compare (default: java -jar
# core/target/gitops.jar with the launcher's JVM options; each runs with --path and without it; the first one
# runs the concurrent part).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests package   # gitops.jar and the compiled harness and test servers
exec java -cp core/target/test-classes io.jenkins.plugins.gitops.core.bench.GitPushBench "$@"
