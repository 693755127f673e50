#!/usr/bin/env bash
# The CTracker node against opentracker (Debian package), in one run: HTTP with one request per
# connection, HTTP keep-alive, and UDP (BEP 15), each as a rate and as CPU time of the tracker
# process per request served.
#
#   ./mvnw -q -DskipTests package          # the script builds nothing but the UDP load generator
#   bash bench/compare.sh        # takes the build lock /tmp/ctracker-mvn.lock for the whole run,
#                                # or runs as is under `flock /tmp/ctracker-mvn.lock bash bench/compare.sh`
#
# Starts opentracker (whitelist mode, listen.tcp_udp: the whitelist is the generated list of info
# hashes) and the node from tracker-node/target/tracker-node.jar, both on 127.0.0.1, warms both
# up, then measures each mode in ROUNDS alternating runs (opentracker, node, opentracker, ...), so
# that a burst of outside load hits both alike. HTTP load is wrk with bench/announce.lua, UDP load
# is bench/udpload.c (compiled here with gcc): connect, then announces that vary info_hash,
# peer_id, port and left. Every reply is checked by the load generator; the node's Prometheus
# counters are checked as well.
#
# CPU per request is (utime + stime) of the tracker process from /proc/PID/stat over the run,
# divided by the successful requests the load generator counted: all of the process's threads
# (the JVM's GC and JIT threads too) and the kernel work done on its behalf. Unlike a rate, it
# does not depend on how the scheduler shares the cores between load generator and tracker.
#
# Settings (environment): SWARMS (10000), THREADS (2), CONNECTIONS (50), UDP_SOCKETS (50),
# DURATION (15s per tracker and mode, whole seconds, split into ROUNDS (3) runs), WARMUP (5s,
# opentracker), NODE_WARMUP (30s, a third each for keep-alive, close and UDP), NODE_HEAP (1g),
# NODE_ARGS (extra node arguments, e.g. --ctracker.http.worker-threads=1), MODES ("close keepalive
# udp"), JAR (tracker-node/target/tracker-node.jar), KEEP_WORKDIR=1 to keep logs and the hash list.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
with_bench_lock "$0" "$@"
SWARMS="${SWARMS:-10000}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
UDP_SOCKETS="${UDP_SOCKETS:-50}"
MODES="${MODES:-close keepalive udp}"
DURATION="${DURATION:-15s}"   # per tracker and mode; split into ROUNDS
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-5s}"
# the JVM needs longer: on 2 shared cores C2 took 15-30 s to compile the request path
NODE_WARMUP="${NODE_WARMUP:-30s}"
NODE_HEAP="${NODE_HEAP:-1g}"
JAR="${JAR:-$ROOT/tracker-node/target/tracker-node.jar}"
LUA="$ROOT/bench/announce.lua"

for tool in wrk opentracker java curl gcc; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool not found (apt-get install -y wrk opentracker gcc)" >&2; exit 2; }
done
[[ -f "$JAR" ]] || { echo "compare.sh: $JAR missing; build it first: ./mvnw -q -DskipTests package" >&2; exit 2; }

WORK="$(mktemp -d /tmp/ctracker-compare.XXXXXX)"
OT_PID=""
NODE_PID=""
cleanup() {
    [[ -n "$NODE_PID" ]] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null || true
    [[ -n "$OT_PID" ]] && kill "$OT_PID" 2>/dev/null && wait "$OT_PID" 2>/dev/null || true
    if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- info hashes: one random 40-hex line per swarm; also opentracker's whitelist ---------------
head -c $((20 * SWARMS)) /dev/urandom | od -An -v -tx1 | tr -d ' \n' | fold -w40 > "$WORK/whitelist.txt"
echo >> "$WORK/whitelist.txt"
chmod 755 "$WORK"
chmod 644 "$WORK/whitelist.txt"
HASHES="$WORK/whitelist.txt"

# --- opentracker ------------------------------------------------------------------------------
OT_PORT="$(free_port)"
cat > "$WORK/opentracker.conf" <<EOF
listen.tcp_udp 127.0.0.1:$OT_PORT
access.whitelist whitelist.txt
tracker.rootdir $WORK
tracker.user _opentracker
EOF
(cd "$WORK" && exec opentracker -f "$WORK/opentracker.conf" > "$WORK/opentracker.log" 2>&1) &
OT_PID=$!

# --- the node (from a copy of the jar: a rebuild during the run must not pull it away) ---------
cp "$JAR" "$WORK/tracker-node.jar"
NODE_PORT="$(free_port)"
INTERNAL_PORT="$(free_port)"
java -Xms"$NODE_HEAP" -Xmx"$NODE_HEAP" -XX:+UseParallelGC -jar "$WORK/tracker-node.jar" \
    --server.port="$NODE_PORT" --server.address=127.0.0.1 --ctracker.internal-port="$INTERNAL_PORT" \
    --ctracker.udp.port="$NODE_PORT" \
    --logging.level.root=WARN ${NODE_ARGS:-} > "$WORK/node.log" 2>&1 &
NODE_PID=$!

FIRST_HASH="$(head -1 "$HASHES")"
ENCODED_HASH="$(sed 's/../%&/g' <<< "$FIRST_HASH")"
PROBE="/announce?info_hash=$ENCODED_HASH&peer_id=-CT0001-probe0000000&port=1&left=0&compact=1"
wait_http "http://127.0.0.1:$OT_PORT$PROBE" opentracker "$OT_PID"
wait_http "http://127.0.0.1:$INTERNAL_PORT/actuator/prometheus" node "$NODE_PID"
wait_http "http://127.0.0.1:$NODE_PORT$PROBE" node "$NODE_PID"
for name in opentracker node; do
    port=$OT_PORT; [[ $name == node ]] && port=$NODE_PORT
    reply="$(curl -s --max-time 2 "http://127.0.0.1:$port$PROBE" | tr -c '[:print:]' '.')"
    if [[ "$reply" == *"failure reason"* || "$reply" != *"5:peers"* ]]; then
        echo "compare.sh: $name does not answer the probe announce properly: $reply" >&2
        exit 1
    fi
done

gcc -O2 -o "$WORK/udpload" "$ROOT/bench/udpload.c"

echo "CTracker node vs opentracker: $SWARMS swarms, wrk -t$THREADS -c$CONNECTIONS, udpload $UDP_SOCKETS sockets, $DURATION per tracker and mode, $(nproc) cores, $(date -u +%FT%TZ)"
echo "warm-up (opentracker $WARMUP, node $NODE_WARMUP):"
run_load warmup-opentracker "$OT_PID" "$OT_PORT" close "$WARMUP"
# a third each with keep-alive (many requests quickly, so C2 compiles the request path), with
# connections closed (the accept and close path) and over UDP
THIRD="$(awk -v d="${NODE_WARMUP%s}" 'BEGIN {printf "%ds", (d / 3 < 1 ? 1 : d / 3)}')"
run_load warmup-node-keepalive "$NODE_PID" "$NODE_PORT" keepalive "$THIRD"
run_load warmup-node-close "$NODE_PID" "$NODE_PORT" close "$THIRD"
run_load warmup-node-udp "$NODE_PID" "$NODE_PORT" udp "$THIRD"

SLICE="$(awk -v d="${DURATION%s}" -v r="$ROUNDS" 'BEGIN {printf "%ds", (d / r < 1 ? 1 : d / r)}')"
declare -A SUM_OK SUM_TICKS SUM_U SUM_S SUM_RATE
RESULTS=()
for mode in $MODES; do
    echo "measured, $mode, $ROUNDS rounds of $SLICE each:"
    for name in opentracker node; do SUM_OK[$name]=0; SUM_TICKS[$name]=0; SUM_U[$name]=0; SUM_S[$name]=0; SUM_RATE[$name]=0; done
    PAIRED=() # node / opentracker CPU per request of each round, the two measured one after the other
    for ((round = 1; round <= ROUNDS; round++)); do
        for name in opentracker node; do
            pid=$OT_PID; port=$OT_PORT
            [[ $name == node ]] && { pid=$NODE_PID; port=$NODE_PORT; }
            run_load "$name-$mode-$round" "$pid" "$port" "$mode" "$SLICE"
            SUM_OK[$name]=$((SUM_OK[$name] + OK)); SUM_TICKS[$name]=$((SUM_TICKS[$name] + TICKS))
            SUM_U[$name]=$((SUM_U[$name] + UTICKS)); SUM_S[$name]=$((SUM_S[$name] + STICKS))
            SUM_RATE[$name]="$(awk -v a="${SUM_RATE[$name]}" -v b="$RATE" 'BEGIN {print a + b}')"
            if [[ $name == opentracker ]]; then round_ot="$(us_per "$TICKS" "$OK")"; else
                PAIRED+=("$(awk -v a="$(us_per "$TICKS" "$OK")" -v b="$round_ot" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"); fi
        done
    done
    paired_median="$(printf '%s\n' "${PAIRED[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}')"
    nd_cpu="$(us_per "${SUM_TICKS[node]}" "${SUM_OK[node]}")"; ot_cpu="$(us_per "${SUM_TICKS[opentracker]}" "${SUM_OK[opentracker]}")"
    goal=""; [[ $mode == close ]] && goal=" (goal <= 1.4)"; [[ $mode == udp ]] && goal=" (goal <= 1.5)"
    RESULTS+=("$(printf 'RESULT %-9s node %7.0f req/s %6.2f us/req (user %.2f, sys %.2f); opentracker %7.0f req/s %6.2f us/req (user %.2f, sys %.2f); node/opentracker cpu per request %s%s, rate %s; per round %s (median %s)' \
        "$mode" "$(awk -v s="${SUM_RATE[node]}" -v r="$ROUNDS" 'BEGIN {print s / r}')" "$nd_cpu" \
        "$(us_per "${SUM_U[node]}" "${SUM_OK[node]}")" "$(us_per "${SUM_S[node]}" "${SUM_OK[node]}")" \
        "$(awk -v s="${SUM_RATE[opentracker]}" -v r="$ROUNDS" 'BEGIN {print s / r}')" "$ot_cpu" \
        "$(us_per "${SUM_U[opentracker]}" "${SUM_OK[opentracker]}")" "$(us_per "${SUM_S[opentracker]}" "${SUM_OK[opentracker]}")" \
        "$(awk -v a="$nd_cpu" -v b="$ot_cpu" 'BEGIN {printf "%.2f", a / b}')" "$goal" \
        "$(awk -v a="${SUM_RATE[node]}" -v b="${SUM_RATE[opentracker]}" 'BEGIN {printf "%.2f", a / b}')" \
        "${PAIRED[*]}" "$paired_median")")
done

# the node's own count of announces: errors must be zero
PROM="$(curl -s --max-time 5 "http://127.0.0.1:$INTERNAL_PORT/actuator/prometheus")"
NODE_OK="$(awk '/^ctracker_announces_total\{.*outcome="ok"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
NODE_ERR="$(awk '/^ctracker_announces_total\{.*outcome="error"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
NODE_SWARMS="$(awk '/^ctracker_swarms / {printf "%d", $2}' <<< "$PROM")"
NODE_PEERS="$(awk '/^ctracker_(seeders|leechers) / {s += $2} END {printf "%d", s}' <<< "$PROM")"
UDP_SHED="$(awk '/^ctracker_udp_shed_total/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
echo "node counters: announces ok=$NODE_OK error=$NODE_ERR, swarms=$NODE_SWARMS, peers=$NODE_PEERS, udp shed=$UDP_SHED"
if [[ "$NODE_ERR" != 0 ]]; then
    echo "compare.sh: the node counted $NODE_ERR failed announces" >&2
    exit 1
fi
echo
printf '%s\n' "${RESULTS[@]}"
echo "(opentracker closes every HTTP connection after its reply, so its keepalive figure is one request per connection too)"
