#!/usr/bin/env bash
# Starts (or stops) a private Docker engine for the container tests and docker-compose, as root,
# with its own data, exec root and socket, no bridge and no iptables rules: containers use host
# networking on loopback. Prints the DOCKER_HOST to export.
#   docker/engine.sh start [DIR]   (default DIR: /tmp/ctracker-docker)
#   docker/engine.sh stop  [DIR]
set -euo pipefail
cmd=${1:?usage: docker/engine.sh start|stop [DIR]}
dir=${2:-/tmp/ctracker-docker}
sock=$dir/docker.sock
docker=$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || command -v docker )  # the client of the same 20.10 package
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ -S "$sock" ] && DOCKER_HOST=unix://$sock "$docker" version >/dev/null 2>&1; then
      echo "unix://$sock"; exit 0
    fi
    # dockerd starts containerd itself; everything it keeps lives under $dir
    nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
      -H "unix://$sock" --iptables=false --ip6tables=false --bridge=none \
      --storage-driver=overlay2 >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 120); do
      if DOCKER_HOST=unix://$sock "$docker" version >/dev/null 2>&1; then
        echo "unix://$sock"; exit 0
      fi
      sleep 0.5
    done
    echo "dockerd did not answer on $sock within 60 s; its log:" >&2
    tail -n 30 "$dir/dockerd.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/dockerd.pid" ]; then
      pid=$(cat "$dir/dockerd.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    ;;
  *) echo "usage: docker/engine.sh start|stop [DIR]" >&2; exit 2 ;;
esac
