#!/usr/bin/env bash
# Heap per stored peer: fills a SwarmStore with 1,000,000 IPv4 peers over 100,000 swarms and
# prints heap used after GC per peer (net.ctracker.bench.StoreMemoryBenchmark, a test class).
#
#   bash bench/memory.sh [peers] [swarms]
#
# Takes the build lock (/tmp/ctracker-mvn.lock) for the whole run unless an ancestor already holds
# it, compiles the test classes (skip with NO_BUILD=1), then measures on a SerialGC heap so that
# "used after GC" is exact. Goal: at most 150 bytes per peer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
with_bench_lock "$0" "$@"

if [[ "${NO_BUILD:-0}" != 1 ]]; then
    bench_mvn -q -pl tracker-node test-compile
fi
MODULE="$ROOT/tracker-node/target"
[[ -f "$MODULE/test-classes/net/ctracker/bench/StoreMemoryBenchmark.class" ]] \
    || { echo "memory.sh: test classes missing; run without NO_BUILD=1" >&2; exit 2; }

# the store needs nothing beyond the module's own classes
timeout 600 java -Xms2g -Xmx2g -XX:+UseSerialGC \
    -cp "$MODULE/test-classes:$MODULE/classes" net.ctracker.bench.StoreMemoryBenchmark "$@"
