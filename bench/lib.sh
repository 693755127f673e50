# Shared by the bench scripts (source it). The machine's cores are shared, so measurements run
# while holding the build lock that mvn-locked takes: no Maven build can start meanwhile.

CTRACKER_LOCK="${CTRACKER_LOCK:-/tmp/ctracker-mvn.lock}"

# True when this shell or one of its ancestors holds the lock (e.g. `flock LOCK bash bench/x.sh`),
# so that a script can take the lock itself when run bare without deadlocking when run under it.
holding_bench_lock() {
    [[ -e "$CTRACKER_LOCK" ]] || return 1
    local inode holders pid
    inode="$(stat -c %i "$CTRACKER_LOCK")"
    holders="$(awk -v ino="$inode" '$2 == "FLOCK" { n = split($6, f, ":"); if (f[n] == ino) print $5 }' /proc/locks)"
    [[ -n "$holders" ]] || return 1
    pid=$$
    while [[ -n "$pid" && "$pid" -gt 1 ]]; do
        grep -qx "$pid" <<< "$holders" && return 0
        pid="$(ps -o ppid= -p "$pid" | tr -d ' ')"
    done
    return 1
}

# Re-runs the calling script under the lock unless it already holds it. Call as
#   with_bench_lock "$0" "$@"
with_bench_lock() {
    if ! holding_bench_lock; then
        exec flock "$CTRACKER_LOCK" bash "$@"
    fi
}

# Maven for the bench scripts: they hold the lock already, so call the wrapper directly
# (mvn-locked would wait for the lock this very process holds).
bench_mvn() {
    (cd "$ROOT" && ./mvnw "$@")
}

# ---- load helpers shared by compare.sh and cluster.sh. They use the caller's globals: WORK (the
# work dir, where logs go), HASHES (info hash list), LUA (bench/announce.lua), THREADS, CONNECTIONS,
# UDP_SOCKETS, and $WORK/udpload (built by the caller for UDP).

free_port() { # free for TCP and UDP alike
    python3 -c '
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port)); print(port); break
    except OSError:
        pass
    finally:
        u.close(); t.close()'
}

CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { # pid -> utime + stime in clock ticks (fields 14 and 15; the name in field 2 has no spaces here)
    awk '{print $14 + $15, $14, $15}' "/proc/$1/stat"
}

wait_http() { # url, what, pid
    local deadline=$((SECONDS + 60))
    until curl -s -o /dev/null --max-time 1 "$1"; do
        kill -0 "$3" 2>/dev/null || { echo "$(basename "$0"): $2 exited; log:" >&2; cat "$WORK/$2.log" >&2; exit 1; }
        ((SECONDS < deadline)) || { echo "$(basename "$0"): $2 not answering at $1 after 60 s" >&2; exit 1; }
        sleep 0.2
    done
}

# run_load label pid port mode duration: runs wrk (close, keepalive) or udpload (udp) against
# the tracker on port, checks every reply, and sets OK (successful requests), TICKS, UTICKS, STICKS
# (the tracker's CPU over the run) and RATE; prints one line.
run_load() {
    local label=$1 pid=$2 port=$3 mode=$4 duration=$5 out before after
    read -r -a before < <(cpu_ticks "$pid")
    if [[ $mode == udp ]]; then
        out="$("$WORK/udpload" 127.0.0.1 "$port" "${duration%s}" "$HASHES" "$UDP_SOCKETS" 2>&1)" || true
    else
        out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 5s -s "$LUA" "http://127.0.0.1:$port" -- "$HASHES" "$mode" 2>&1)"
    fi
    read -r -a after < <(cpu_ticks "$pid")
    echo "$out" > "$WORK/load-$label.txt"
    TICKS=$((after[0] - before[0])); UTICKS=$((after[1] - before[1])); STICKS=$((after[2] - before[2]))
    local check fail=0
    if [[ $mode == udp ]]; then
        check="$(grep '^udpload:' <<< "$out" || true)"
        OK="$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<< "$check")"
        RATE="$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' <<< "$check")"
        [[ "$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<< "$check")" == 0 && "$(sed -n 's/.* bad=\([0-9]*\).*/\1/p' <<< "$check")" == 0 ]] || fail=1
    else
        check="$(grep '^announce.lua:' <<< "$out" || true)"
        OK="$(sed -n 's/.* ok=\([0-9]*\).*/\1/p' <<< "$check")"
        RATE="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
        [[ "$(sed -n 's/.* failure_reason=\([0-9]*\).*/\1/p' <<< "$check")" == 0 && "$(sed -n 's/.* non_200=\([0-9]*\).*/\1/p' <<< "$check")" == 0 \
            && "$(sed -n 's/.* no_peers_key=\([0-9]*\).*/\1/p' <<< "$check")" == 0 ]] || fail=1
    fi
    if [[ -z "$OK" || "$OK" == 0 || -z "$RATE" || $fail == 1 ]]; then
        echo "$(basename "$0"): $label: not every reply was a successful announce; load generator output:" >&2
        echo "$out" >&2
        exit 1
    fi
    printf '  %-26s %9.0f req/s   cpu %6.2f us/req (user %5.2f, sys %5.2f)   %s\n' "$label" "$RATE" \
        "$(us_per "$TICKS" "$OK")" "$(us_per "$UTICKS" "$OK")" "$(us_per "$STICKS" "$OK")" "${check#*: }"
}

us_per() { # ticks requests -> microseconds of CPU per request
    awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}'
}

