#!/bin/bash
# The image's health check: GET /actuator/health/readiness on the internal port, which answers 200
# only once the node has joined the overlay. Needs nothing but bash (no curl in the image).
# The port is CTRACKER_INTERNAL_PORT (default 7070): set the internal port through that variable.
port=${CTRACKER_INTERNAL_PORT:-7070}
path=${1:-/actuator/health/readiness}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
read -r -t 5 _ status _ <&3 || exit 1
[ "$status" = 200 ]
