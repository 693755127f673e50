#!/usr/bin/env bash
# Runs a small local overlay: N tracker nodes on loopback (default 3), joined through the first.
# Node i listens on public port 6968+i and internal port 7069+i. Ctrl-C stops them all.
#   scripts/local-cluster.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
jar=tracker-node/target/tracker-node.jar
[ -f "$jar" ] || ./mvnw -B -q -DskipTests package
secret=${CTRACKER_CLUSTER_SECRET:-local-cluster-secret-$(date +%s)}
logs=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; echo "stopped; logs in $logs"' EXIT INT TERM
for i in $(seq 1 "$n"); do
  args=(--server.port=$((6968 + i)) --ctracker.internal-port=$((7069 + i)) --ctracker.cluster-secret="$secret"
        --ctracker.region="region-$(( (i - 1) % 3 + 1 ))")
  [ "$i" -gt 1 ] && args+=(--ctracker.bootstrap=http://127.0.0.1:7070)
  java -Xmx512m -jar "$jar" "${args[@]}" >"$logs/node-$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$n"); do
  port=$((7069 + i))
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break
    sleep 0.5
  done
  echo "node $i: announce http://127.0.0.1:$((6968 + i))/announce   admin http://127.0.0.1:$port/admin/api/node"
done
echo "all $n nodes up (logs in $logs); Ctrl-C to stop"
wait
