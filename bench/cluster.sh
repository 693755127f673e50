#!/usr/bin/env bash
# CPU per announce of a node alone and of a node in a three-node cluster with publishing on, in one
# run (docs/distributed.md, "CPU per announce in a cluster").
#
#   ./mvnw -q -DskipTests package          # the script builds nothing
#   bash bench/cluster.sh                  # takes the build lock /tmp/ctracker-mvn.lock itself
#
# Starts, on 127.0.0.1: node A alone with the defaults (a node alone: it knows no other, so it
# publishes nothing and looks nothing up, and ranks its answers like every node); node B
# with two more nodes C and D joined to it (a cluster: every announce at B that adds a peer is
# published towards its swarm's root, a third of them B itself, and the roots replicate to the
# others). The load (wrk with bench/announce.lua: every request a new peer of one of $SWARMS swarms)
# goes to A or B in alternating rounds; the figure is (utime + stime) of the loaded node's process
# per request served, from /proc, which does not depend on how the scheduler shares the cores
# (C and D share them too). The CPU C and D spend per announce at B is reported beside it.
#
# Settings: SWARMS (10000), THREADS (2), CONNECTIONS (50), DURATION (15s per node and mode, split
# into ROUNDS (3) runs), NODE_WARMUP (30s), NODE_HEAP (1g), MODES ("close keepalive"), JAR,
# CLUSTER_ARGS (extra arguments for B, C and D, e.g. --ctracker.locality.ranking=false), ALONE_ARGS
# (extra arguments for A; --ctracker.partial.enabled=false was the reference before a lone node
# stopped publishing to itself), KEEP_WORKDIR=1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
with_bench_lock "$0" "$@"
SWARMS="${SWARMS:-10000}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
UDP_SOCKETS=1
MODES="${MODES:-close keepalive}"
DURATION="${DURATION:-15s}"
ROUNDS="${ROUNDS:-3}"
NODE_WARMUP="${NODE_WARMUP:-30s}"
NODE_HEAP="${NODE_HEAP:-1g}"
JAR="${JAR:-$ROOT/tracker-node/target/tracker-node.jar}"
LUA="$ROOT/bench/announce.lua"

for tool in wrk java curl python3; do
    command -v "$tool" >/dev/null || { echo "cluster.sh: $tool not found" >&2; exit 2; }
done
[[ -f "$JAR" ]] || { echo "cluster.sh: $JAR missing; build it first: ./mvnw -q -DskipTests package" >&2; exit 2; }

WORK="$(mktemp -d /tmp/ctracker-cluster.XXXXXX)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && wait "$p" 2>/dev/null || true; done
    if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

head -c $((20 * SWARMS)) /dev/urandom | od -An -v -tx1 | tr -d ' \n' | fold -w40 > "$WORK/hashes.txt"
echo >> "$WORK/hashes.txt"
HASHES="$WORK/hashes.txt"
cp "$JAR" "$WORK/tracker-node.jar"
printf 'cluster-bench-%s' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$WORK/secret"
chmod 600 "$WORK/secret"

# start_node name heap args...: sets PORT_<name>, INTERNAL_<name>, PID_<name>
start_node() {
    local name=$1 heap=$2 port internal
    shift 2
    port="$(free_port)"; internal="$(free_port)"
    java -Xms"$heap" -Xmx"$heap" -XX:+UseParallelGC -jar "$WORK/tracker-node.jar" \
        --server.port="$port" --server.address=127.0.0.1 --ctracker.internal-port="$internal" \
        --ctracker.internal-address=127.0.0.1 --ctracker.udp.port=0 --logging.level.root=WARN "$@" \
        > "$WORK/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    printf -v "PORT_$name" '%s' "$port"; printf -v "INTERNAL_$name" '%s' "$internal"; printf -v "PID_$name" '%s' "$pid"
}

start_node A "$NODE_HEAP" ${ALONE_ARGS:-}
start_node B "$NODE_HEAP" ${CLUSTER_ARGS:-} --ctracker.cluster-secret-file="$WORK/secret" --ctracker.region=b
wait_http "http://127.0.0.1:$INTERNAL_B/actuator/health/readiness" B "$PID_B"
start_node C 512m ${CLUSTER_ARGS:-} --ctracker.cluster-secret-file="$WORK/secret" --ctracker.region=c --ctracker.bootstrap="http://127.0.0.1:$INTERNAL_B"
start_node D 512m ${CLUSTER_ARGS:-} --ctracker.cluster-secret-file="$WORK/secret" --ctracker.region=d --ctracker.bootstrap="http://127.0.0.1:$INTERNAL_B"
for n in A B C D; do
    internal="INTERNAL_$n"; pid="PID_$n"
    deadline=$((SECONDS + 90))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:${!internal}/actuator/health/readiness")" == 200 ]]; do
        kill -0 "${!pid}" 2>/dev/null || { echo "cluster.sh: node $n exited; log:" >&2; cat "$WORK/$n.log" >&2; exit 1; }
        ((SECONDS < deadline)) || { echo "cluster.sh: node $n not ready after 90 s" >&2; exit 1; }
        sleep 0.5
    done
done
# C and D are ready once joined; B hears of them a moment later
deadline=$((SECONDS + 30))
until leaves="$(curl -s --max-time 2 "http://127.0.0.1:$INTERNAL_B/admin/api/node" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["leafSet"]))')" && [[ "$leaves" == 2 ]]; do
    ((SECONDS < deadline)) || { echo "cluster.sh: node B knows ${leaves:-no} leaves after 30 s, not the other two" >&2; exit 1; }
    sleep 0.5
done

echo "node CPU per announce, alone and in a 3-node cluster: $SWARMS swarms, wrk -t$THREADS -c$CONNECTIONS, $DURATION per node and mode, $(nproc) cores, $(date -u +%FT%TZ); A: ${ALONE_ARGS:-defaults}; B, C, D: ${CLUSTER_ARGS:-defaults}"
THIRD="$(awk -v d="${NODE_WARMUP%s}" 'BEGIN {printf "%ds", (d / 2 < 1 ? 1 : d / 2)}')"
echo "warm-up ($NODE_WARMUP each, keep-alive then close):"
for n in A B; do
    port="PORT_$n"; pid="PID_$n"
    run_load "warmup-$n-keepalive" "${!pid}" "${!port}" keepalive "$THIRD"
    run_load "warmup-$n-close" "${!pid}" "${!port}" close "$THIRD"
done

SLICE="$(awk -v d="${DURATION%s}" -v r="$ROUNDS" 'BEGIN {printf "%ds", (d / r < 1 ? 1 : d / r)}')"
RESULTS=()
for mode in $MODES; do
    echo "measured, $mode, $ROUNDS rounds of $SLICE each (A alone, B in the cluster):"
    declare -A T=([A]=0 [B]=0) N=([A]=0 [B]=0) R=([A]=0 [B]=0)
    OTHERS=0
    for ((round = 1; round <= ROUNDS; round++)); do
        for n in A B; do
            port="PORT_$n"; pid="PID_$n"
            read -r -a c0 < <(cpu_ticks "$PID_C"); read -r -a d0 < <(cpu_ticks "$PID_D")
            run_load "$n-$mode-$round" "${!pid}" "${!port}" "$mode" "$SLICE"
            read -r -a c1 < <(cpu_ticks "$PID_C"); read -r -a d1 < <(cpu_ticks "$PID_D")
            T[$n]=$((T[$n] + TICKS)); N[$n]=$((N[$n] + OK)); R[$n]="$(awk -v a="${R[$n]}" -v b="$RATE" 'BEGIN {print a + b}')"
            [[ $n == B ]] && OTHERS=$((OTHERS + c1[0] - c0[0] + d1[0] - d0[0]))
        done
    done
    a="$(us_per "${T[A]}" "${N[A]}")"; b="$(us_per "${T[B]}" "${N[B]}")"
    RESULTS+=("$(printf 'RESULT %-9s alone %7.0f req/s %6.2f us/req; in the cluster %7.0f req/s %6.2f us/req (%+.1f%%, goal within 10%%); the other two nodes %.2f us per announce at B' \
        "$mode" "$(awk -v s="${R[A]}" -v r="$ROUNDS" 'BEGIN {print s / r}')" "$a" \
        "$(awk -v s="${R[B]}" -v r="$ROUNDS" 'BEGIN {print s / r}')" "$b" \
        "$(awk -v x="$a" -v y="$b" 'BEGIN {print (y / x - 1) * 100}')" "$(us_per "$OTHERS" "${N[B]}")")")
done

PROM="$(curl -s --max-time 5 "http://127.0.0.1:$INTERNAL_B/actuator/prometheus")"
published="$(awk '/^ctracker_partial_records_published_total / {printf "%d", $2}' <<< "$PROM")"
dropped="$(awk '/^ctracker_partial_changes_dropped_total / {printf "%d", $2}' <<< "$PROM")"
lookups="$(awk '/^ctracker_partial_lookups_total\{/ {match($0, /outcome="[a-z_]+"/); o = substr($0, RSTART + 9, RLENGTH - 10); printf "%s%s=%d", sep, o, $2; sep = " "}' <<< "$PROM")"
sent="$(awk '/^ctracker_partial_messages_total\{.*outcome="sent"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
errors="$(awk '/^ctracker_announces_total\{.*outcome="error"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
okb="$(awk '/^ctracker_announces_total\{.*outcome="ok"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
echo "node B: announces ok=$okb error=$errors, records published=$published, changes not published (queue full)=${dropped:-0}, tracker messages sent=$sent ($(awk -v m="$sent" -v a="$okb" 'BEGIN {printf "%.4f", m / a}') per announce)"
echo "node B: lookups $lookups"
for outcome in sent received; do
    echo "node B: tracker messages $outcome by kind: $(awk -v o="$outcome" '/^ctracker_partial_messages_total\{/ && $0 ~ "outcome=\"" o "\"" && $2 > 0 {match($0, /kind="[a-z_]+"/); printf "%s%s=%d", sep, substr($0, RSTART + 6, RLENGTH - 7), $2; sep = " "}' <<< "$PROM")"
done
[[ "$errors" == 0 && "$published" -gt 0 ]] || { echo "cluster.sh: node B failed announces or published nothing" >&2; exit 1; }
echo
printf '%s\n' "${RESULTS[@]}"
