#!/usr/bin/env bash
# Announce throughput of the CTracker node against opentracker (Debian package), in one run.
#
#   ./mvnw -q -DskipTests package          # the script builds nothing
#   bash bench/compare.sh        # takes the build lock /tmp/ctracker-mvn.lock for the whole run,
#                                # or runs as is under `flock /tmp/ctracker-mvn.lock bash bench/compare.sh`
#
# Starts opentracker (whitelist mode: the whitelist is the generated list of info hashes) and the
# node from tracker-node/target/tracker-node.jar, both on 127.0.0.1, warms both up, then runs wrk
# with bench/announce.lua for a fixed time against each with one request per connection, prints
# both rates and node/opentracker, then the keep-alive rates. Every reply is checked by the Lua
# script (status 200, no "failure reason", a peers key); the node's Prometheus counters are
# checked as well. Stops everything it started.
#
# Settings (environment): SWARMS (10000), THREADS (2), CONNECTIONS (50), DURATION (15s, whole
# seconds; the one-request-per-connection time is split into ROUNDS (3) alternating runs),
# WARMUP (5s, opentracker), NODE_WARMUP (30s), NODE_HEAP (1g), NODE_ARGS (extra node arguments, e.g. --ctracker.http.worker-threads=1),
# JAR (tracker-node/target/tracker-node.jar), KEEP_WORKDIR=1 to keep logs and the hash list.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
with_bench_lock "$0" "$@"
SWARMS="${SWARMS:-10000}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-15s}"   # per tracker and mode; split into ROUNDS for the close runs
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-5s}"
# the JVM needs longer: on 2 shared cores C2 took 15-30 s to compile the request path
NODE_WARMUP="${NODE_WARMUP:-30s}"
NODE_HEAP="${NODE_HEAP:-1g}"
JAR="${JAR:-$ROOT/tracker-node/target/tracker-node.jar}"
LUA="$ROOT/bench/announce.lua"

for tool in wrk opentracker java curl; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool not found (apt-get install -y wrk opentracker)" >&2; exit 2; }
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

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url, what, pid
    local deadline=$((SECONDS + 60))
    until curl -s -o /dev/null --max-time 1 "$1"; do
        kill -0 "$3" 2>/dev/null || { echo "compare.sh: $2 exited; log:" >&2; cat "$WORK/$2.log" >&2; exit 1; }
        ((SECONDS < deadline)) || { echo "compare.sh: $2 not answering at $1 after 60 s" >&2; exit 1; }
        sleep 0.2
    done
}

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

run_wrk() { # label, port, mode, duration -> prints the wrk output, sets RATE and CHECK
    local out
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --timeout 5s -s "$LUA" "http://127.0.0.1:$2" -- "$HASHES" "$3" 2>&1)"
    echo "$out" > "$WORK/wrk-$1.txt"
    RATE="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
    CHECK="$(grep '^announce.lua:' <<< "$out" || true)"
    local ok fail bad nopeers
    ok="$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<< "$CHECK")"
    fail="$(sed -n 's/.* failure_reason=\([0-9]*\).*/\1/p' <<< "$CHECK")"
    bad="$(sed -n 's/.* non_200=\([0-9]*\).*/\1/p' <<< "$CHECK")"
    nopeers="$(sed -n 's/.* no_peers_key=\([0-9]*\).*/\1/p' <<< "$CHECK")"
    printf '  %-28s %10s req/s   %s\n' "$1" "${RATE:-?}" "${CHECK#announce.lua: }"
    if [[ -z "$RATE" || -z "$ok" || "$ok" == 0 || "$fail" != 0 || "$bad" != 0 || "$nopeers" != 0 ]]; then
        echo "compare.sh: $1: not every reply was a successful announce; wrk output:" >&2
        echo "$out" >&2
        exit 1
    fi
}

echo "CTracker node vs opentracker: $SWARMS swarms, wrk -t$THREADS -c$CONNECTIONS, $DURATION per tracker and mode, $(nproc) cores, $(date -u +%FT%TZ)"
echo "warm-up (opentracker $WARMUP, node $NODE_WARMUP):"
run_wrk warmup-opentracker "$OT_PORT" close "$WARMUP"
# half with keep-alive (many requests quickly, so C2 compiles the request path), half with
# connections closed (the accept and close path)
HALF="$(awk -v d="${NODE_WARMUP%s}" 'BEGIN {printf "%ds", (d / 2 < 1 ? 1 : d / 2)}')"
run_wrk warmup-node-keepalive "$NODE_PORT" keepalive "$HALF"
run_wrk warmup-node-close "$NODE_PORT" close "$HALF"

# The cores are shared with other work that the build lock does not stop, so the measured time
# is split into ROUNDS alternating runs: a burst of outside load then hits both trackers alike.
# Rates are the mean over the rounds; the per-round ratios show the spread.
SLICE="$(awk -v d="${DURATION%s}" -v r="$ROUNDS" 'BEGIN {printf "%ds", (d / r < 1 ? 1 : d / r)}')"
echo "measured, one request per connection (Connection: close), $ROUNDS rounds of $SLICE each:"
OT_SUM=0; NODE_SUM=0; RATIOS=""
for ((round = 1; round <= ROUNDS; round++)); do
    run_wrk "opentracker-close-$round" "$OT_PORT" close "$SLICE"; ot="$RATE"
    run_wrk "node-close-$round" "$NODE_PORT" close "$SLICE"; nd="$RATE"
    OT_SUM="$(awk -v a="$OT_SUM" -v b="$ot" 'BEGIN {print a + b}')"
    NODE_SUM="$(awk -v a="$NODE_SUM" -v b="$nd" 'BEGIN {print a + b}')"
    RATIOS="$RATIOS $(awk -v a="$nd" -v b="$ot" 'BEGIN {printf "%.2f", a / b}')"
done
OT_CLOSE="$(awk -v s="$OT_SUM" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}')"
NODE_CLOSE="$(awk -v s="$NODE_SUM" -v r="$ROUNDS" 'BEGIN {printf "%.0f", s / r}')"

echo "measured, keep-alive:"
run_wrk node-keepalive "$NODE_PORT" keepalive "$DURATION"; NODE_KA="$RATE"
run_wrk opentracker-keepalive "$OT_PORT" keepalive "$DURATION"; OT_KA="$RATE"

# the node's own count of announces: errors must be zero, ok must cover what wrk saw
PROM="$(curl -s --max-time 5 "http://127.0.0.1:$INTERNAL_PORT/actuator/prometheus")"
NODE_OK="$(awk '/^ctracker_announces_total\{.*outcome="ok"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
NODE_ERR="$(awk '/^ctracker_announces_total\{.*outcome="error"/ {s += $2} END {printf "%d", s}' <<< "$PROM")"
NODE_SWARMS="$(awk '/^ctracker_swarms / {printf "%d", $2}' <<< "$PROM")"
NODE_PEERS="$(awk '/^ctracker_(seeders|leechers) / {s += $2} END {printf "%d", s}' <<< "$PROM")"
echo "node counters: announces ok=$NODE_OK error=$NODE_ERR, swarms=$NODE_SWARMS, peers=$NODE_PEERS"
if [[ "$NODE_ERR" != 0 ]]; then
    echo "compare.sh: the node counted $NODE_ERR failed announces" >&2
    exit 1
fi

echo
echo "RESULT one-request-per-connection: node $NODE_CLOSE req/s, opentracker $OT_CLOSE req/s, ratio $(awk -v a="$NODE_CLOSE" -v b="$OT_CLOSE" 'BEGIN {printf "%.2f", a / b}') (goal >= 0.70; per round:$RATIOS)"
echo "RESULT keep-alive: node $NODE_KA req/s; opentracker $OT_KA req/s (opentracker closes the connection after every reply, so wrk reconnects: its keep-alive figure is a one-request-per-connection figure too)"
