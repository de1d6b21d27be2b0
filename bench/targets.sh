#!/usr/bin/env bash
# The figures that docs/benchmarks.md holds against a target, measured in one run, each against its baseline:
# `gitops update` against the depth-1 git script (time, bytes down and up, 16 concurrent updaters), `gitops sync`
# from its outcome line to exit, and `gitops set-image` against grep | sed, cold (JVM start included) and warm (the
# engine in a running JVM, as the Jenkins step calls it). The machine's load is printed before and after each part:
# on a busy machine read the ratios of alternating runs, not the absolute times.
# Options: --jdk DIR, repeatable (default: the `java` on the PATH): run the start-up-sensitive parts on each JDK;
# --rounds N (default 7). The whole report is also written to core/target/bench-targets.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
jdks=()
rounds=7
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdks+=("$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "bench/targets.sh: unknown option $1 (use --jdk DIR --rounds N)" >&2; exit 2 ;;
  esac
done
[ ${#jdks[@]} -gt 0 ] || jdks=("$(dirname "$(dirname "$(readlink -f "$(type -P java)")")")")
mkdir -p core/target
report=core/target/bench-targets.txt
exec > >(tee "$report") 2>&1
part() {
  echo
  echo "== $1 (load: $(cut -d' ' -f1-3 /proc/loadavg))"
}
echo "bench/targets.sh on $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC'), main at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
caller_path=$PATH
for jdk in "${jdks[@]}"; do
  export PATH=$jdk/bin:$caller_path
  version=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/{print $2}')
  part "JDK $version: gitops update (through ./gitops) against git clone --depth 1 && sed && commit && push"
  # The harness and its git server stay on the caller's java whichever JDK gitops runs on: the git scripts it times
  # against are served by the same server in every part.
  PATH=$caller_path bench/git-push.sh --rounds "$rounds" --concurrent 16 --gitops "env PATH=$PATH $PWD/gitops"
  part "JDK $version: gitops sync, outcome line to exit"
  bench/sync-exit.sh --rounds $((rounds * 2))
  part "JDK $version: gitops set-image (through ./gitops) against grep | sed, cold and warm"
  bench/set-image.sh --rounds "$rounds" --warm 20
done
part "done"
