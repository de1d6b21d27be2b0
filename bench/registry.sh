#!/usr/bin/env bash
# Benchmark: the update strategies (semver over 1,000 tags, newest-build over 200, digest of one tag) against Debian's
# docker-registry on 127.0.0.1 with images pushed by skopeo: wall time and requests by kind, and newest-build's
# requests against a client that GETs every manifest and configuration. Options: --rounds N (default 7).
# Needs the docker-registry and skopeo packages (as .ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f core/pom.xml -DskipTests test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx256m -cp "core/target/test-classes:core/target/classes:$(cat core/target/bench.classpath)" \
  io.jenkins.plugins.gitops.core.bench.RegistryBench "$@"
