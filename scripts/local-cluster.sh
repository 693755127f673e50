#!/usr/bin/env bash
# Runs a small local overlay: N tracker nodes on loopback (default 3), joined through the first.
# Node i listens on public port 6968+i and internal port 7069+i (internal ports bound to 127.0.0.1
# only). Ctrl-C stops them all.
#   scripts/local-cluster.sh [N]
# The cluster secret is taken from CTRACKER_CLUSTER_SECRET if set (the nodes read it from their
# environment), else generated into a file only this user can read; it is never put on a command
# line, where ps would show it. The jar is rebuilt when any source is newer than it.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
jar=tracker-node/target/tracker-node.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml tracker-node/pom.xml tracker-node/src -newer "$jar" -print -quit)" ]; then
  echo "building $jar (sources changed since the last build)"
  ./mvnw -B -q -DskipTests package
fi
logs=$(mktemp -d)
secret_args=()
if [ -z "${CTRACKER_CLUSTER_SECRET:-}" ]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$logs/cluster-secret")
  secret_args=(--ctracker.cluster-secret-file="$logs/cluster-secret")
fi
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; echo "stopped; logs in $logs"' EXIT INT TERM
for i in $(seq 1 "$n"); do
  args=(--server.port=$((6968 + i)) --ctracker.internal-port=$((7069 + i)) --ctracker.internal-address=127.0.0.1
        --ctracker.region="region-$(( (i - 1) % 3 + 1 ))" "${secret_args[@]}")
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
