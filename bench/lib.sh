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
