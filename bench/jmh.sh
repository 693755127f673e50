#!/usr/bin/env bash
# JMH benchmarks, test classes whose JMH harness the annotation processor generates at
# test-compile (target/test-classes/META-INF/BenchmarkList):
#   net.ctracker.bench.AnnounceHotPathBenchmark  the announce hot path (parse query, store
#                                                announce, select peers, encode)
#   net.ctracker.partial.RankingBenchmark        a lone node's ranking of 100 candidates to 50
#
#   bash bench/jmh.sh [extra JMH options, e.g. -p swarms=100000]
#   BENCHMARKS='net\.ctracker\.partial\..*' bash bench/jmh.sh    # a regular expression of benchmarks
#   JMH_OPTS='-f 1 -wi 4 -w 1s -i 10 -r 500ms -bm avgt -tu ns' bash bench/jmh.sh   # instead of the run options below
#
# Takes the build lock (/tmp/ctracker-mvn.lock) for the whole run unless an ancestor already holds
# it, compiles the test classes and writes the test classpath (skip with NO_BUILD=1), then runs
# 1 fork, 3 warm-up and 5 measurement iterations of 1 s per benchmark (JMH_OPTS) and prints ops/s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
with_bench_lock "$0" "$@"

MODULE="$ROOT/tracker-node/target"
CLASSPATH_FILE="$MODULE/bench-test-classpath.txt"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
    bench_mvn -q -pl tracker-node test-compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
fi
[[ -f "$MODULE/test-classes/META-INF/BenchmarkList" ]] \
    || { echo "jmh.sh: $MODULE/test-classes/META-INF/BenchmarkList missing: the JMH annotation processor did not run on the test sources" >&2; exit 2; }
[[ -f "$CLASSPATH_FILE" ]] || { echo "jmh.sh: $CLASSPATH_FILE missing; run without NO_BUILD=1" >&2; exit 2; }

CP="$MODULE/test-classes:$MODULE/classes:$(cat "$CLASSPATH_FILE")"
timeout 900 java -cp "$CP" org.openjdk.jmh.Main "${BENCHMARKS:-net\.ctracker\.(bench\.AnnounceHotPath|partial\.Ranking)Benchmark\..*}" \
    ${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s -tu s -bm thrpt} -rf text -rff "$MODULE/jmh-result.txt" "$@"
echo
echo "RESULT (one thread, in the units JMH_OPTS asks for; ops/s by default):"
cat "$MODULE/jmh-result.txt"
