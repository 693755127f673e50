#!/usr/bin/env bash
# The locality experiment on real processes with real latency (docs/locality.md).
#
#   ./mvnw -q -DskipTests package                # the script builds nothing
#   sudo bash bench/locality-experiment.sh       # root: it creates network namespaces; ~4 min
#
# ../shared/tools/delay-router (or $DELAY_ROUTER) gives each of three regions a network namespace
# and delays packets between them (one-way delays $DELAYS ms, so RTT(r,s) = 2 (d_r + d_s)); inside
# a region about 0 ms. Two nodes run in each region on that region's addresses; $PEERS peers per
# region announce one swarm from their region's addresses to their region's nodes; then $ASKERS new
# requesters per region announce with numwant=$NUMWANT. The report compares the RTT to the peers
# each requester is handed with a random choice and the oracle, using RTTs measured (TCP connect)
# from every region to every other. Everything it starts is stopped, and the namespaces removed,
# on exit. Settings: DELAYS (5,20,40) PEERS (100) ASKERS (20) NUMWANT (50) JAR KEEP_WORKDIR=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
with_bench_lock "$0" "$@"
DELAY_ROUTER="${DELAY_ROUTER:-$ROOT/../shared/tools/delay-router}"
DELAYS="${DELAYS:-5,20,40}"
PEERS="${PEERS:-100}"
ASKERS="${ASKERS:-20}"
NUMWANT="${NUMWANT:-50}"
JAR="${JAR:-$ROOT/tracker-node/target/tracker-node.jar}"
NAME=ctrloc
REGIONS=3

[[ $EUID -eq 0 ]] || { echo "locality-experiment.sh: needs root (network namespaces)" >&2; exit 2; }
[[ -x "$DELAY_ROUTER" ]] || { echo "locality-experiment.sh: $DELAY_ROUTER not found (set DELAY_ROUTER)" >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "locality-experiment.sh: $JAR missing; build it: ./mvnw -q -DskipTests package" >&2; exit 2; }
for tool in ip java python3 curl; do command -v "$tool" >/dev/null || { echo "locality-experiment.sh: $tool not found" >&2; exit 2; }; done

WORK="$(mktemp -d /tmp/ctracker-locality.XXXXXX)"
ROUTER=""
NODES=()
cleanup() {
    for pid in "${NODES[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done
    for pid in "${NODES[@]:-}"; do [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true; done
    if [[ -n "$ROUTER" ]]; then kill -TERM "$ROUTER" 2>/dev/null || true; wait "$ROUTER" 2>/dev/null || true; fi
    "$DELAY_ROUTER" down --name "$NAME" >/dev/null 2>&1 || true
    if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_region() { local r="$1"; shift; ip netns exec "$NAME-$r" "$@"; }

"$DELAY_ROUTER" down --name "$NAME" >/dev/null 2>&1 || true
"$DELAY_ROUTER" up --delays "$DELAYS" --name "$NAME" --hosts 20 > "$WORK/router.log" 2>&1 &
ROUTER=$!
deadline=$((SECONDS + 30))
until grep -q "delay-router:" "$WORK/router.log"; do
    ((SECONDS < deadline)) || { echo "delay-router did not come up:" >&2; cat "$WORK/router.log" >&2; exit 1; }
    sleep 0.2
done

SECRET="locality-experiment-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s' "$SECRET" > "$WORK/secret"
chmod 600 "$WORK/secret"
BOOT="http://10.77.1.1:7070"
for r in $(seq 1 $REGIONS); do
    for i in 1 2; do
        addr="10.77.$r.$i"
        args=(--server.port=6969 --server.address="$addr" --ctracker.internal-port=7070 --ctracker.internal-address="$addr"
              --ctracker.udp.port=0 --ctracker.advertised-url="http://$addr:7070" --ctracker.region="region-$r"
              --ctracker.cluster-secret-file="$WORK/secret" --ctracker.locality.coordinate-period=2s)
        if [[ "$r.$i" != "1.1" ]]; then args+=(--ctracker.bootstrap="$BOOT"); fi
        # ip netns exec itself, not a shell function: $! is then the JVM (ip execs it), which cleanup can stop
        ip netns exec "$NAME-$r" java -Xms128m -Xmx256m -XX:+UseSerialGC -jar "$JAR" "${args[@]}" > "$WORK/node-$r-$i.log" 2>&1 &
        NODES+=($!)
    done
done

echo "waiting for 6 nodes to join..."
deadline=$((SECONDS + 180))
for r in $(seq 1 $REGIONS); do
    for i in 1 2; do
        until in_region "$r" curl -sf -o /dev/null --max-time 2 "http://10.77.$r.$i:7070/actuator/health/readiness"; do
            ((SECONDS < deadline)) || { echo "node 10.77.$r.$i not ready; log:" >&2; tail -30 "$WORK/node-$r-$i.log" >&2; exit 1; }
            sleep 1
        done
    done
done
echo "waiting for the network coordinates to settle (every node's error below 0.3, at most 4 minutes)..."
deadline=$((SECONDS + 240))
while :; do
    worst=0
    for r in $(seq 1 $REGIONS); do
        for i in 1 2; do
            e=$(in_region "$r" curl -sf --max-time 2 "http://10.77.$r.$i:7070/admin/api/node" \
                | python3 -c 'import json,sys; c=json.load(sys.stdin).get("coordinate"); print(c["error"] if c else 1)')
            worst=$(python3 -c "print(max($worst, $e))")
        done
    done
    python3 -c "import sys; sys.exit(0 if $worst < 0.3 else 1)" && break
    ((SECONDS < deadline)) || { echo "coordinates still unsure (worst error $worst): measuring anyway"; break; }
    sleep 5
done
echo "worst coordinate error: $worst"

HASH="$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
trackers() { echo "http://10.77.$1.1:6969,http://10.77.$1.2:6969"; }
pids=()
for r in $(seq 1 $REGIONS); do
    in_region "$r" python3 "$ROOT/bench/locality_peers.py" announce --region "$r" --trackers "$(trackers "$r")" \
        --count "$PEERS" --hash "$HASH" --out "$WORK/peers-$r.jsonl" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
total=$((PEERS * REGIONS))
echo "waiting for the swarm's root to hold all $total peers..."
deadline=$((SECONDS + 60))
until [[ "$(in_region 1 curl -sf --max-time 5 "http://10.77.1.1:7070/admin/api/swarm?info_hash=$HASH" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["leechers"])' 2>/dev/null || echo 0)" -ge "$total" ]]; do
    ((SECONDS < deadline)) || { echo "the swarm's counts did not reach $total" >&2; exit 1; }
    sleep 1
done
targets="10.77.1.1:7070,10.77.2.1:7070,10.77.3.1:7070"
for r in $(seq 1 $REGIONS); do
    in_region "$r" python3 "$ROOT/bench/locality_peers.py" rtt --region "$r" --targets "$targets" --out "$WORK/rtt-$r.json"
done
pids=()
for r in $(seq 1 $REGIONS); do
    in_region "$r" python3 "$ROOT/bench/locality_peers.py" ask --region "$r" --trackers "$(trackers "$r")" \
        --count "$ASKERS" --first 1000 --numwant "$NUMWANT" --hash "$HASH" --out "$WORK/asks-$r.jsonl" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

join() { local IFS=,; echo "$*"; }
peers=() asks=() rtts=()
for r in $(seq 1 $REGIONS); do peers+=("$WORK/peers-$r.jsonl"); asks+=("$WORK/asks-$r.jsonl"); rtts+=("$WORK/rtt-$r.json"); done
echo "=== locality experiment: $REGIONS regions, one-way delays $DELAYS ms, 2 nodes and $PEERS peers per region, $ASKERS requesters per region, numwant $NUMWANT, $(date -u +%FT%TZ)"
python3 "$ROOT/bench/locality_peers.py" report --peers "$(join "${peers[@]}")" --asks "$(join "${asks[@]}")" \
    --rtt "$(join "${rtts[@]}")" --numwant "$NUMWANT"
for r in $(seq 1 $REGIONS); do
    in_region "$r" curl -sf --max-time 5 "http://10.77.$r.1:7070/admin/api/locality"; echo
done
