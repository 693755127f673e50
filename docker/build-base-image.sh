#!/usr/bin/env bash
# Builds a local Java 17 runtime base image from Debian's packages (debootstrap + docker import),
# for machines that cannot pull from an image registry. The Dockerfile takes it as
#   --build-arg BASE_IMAGE=ctracker-jre:local
# Needs root, debootstrap and a running Docker engine (DOCKER_HOST). Skips the work when the image
# already exists, unless --force is given.
#   docker/build-base-image.sh [--force] [IMAGE] [MIRROR]
set -euo pipefail
force=false
if [ "${1:-}" = "--force" ]; then force=true; shift; fi
image=${1:-ctracker-jre:local}
mirror=${2:-http://deb.debian.org/debian}
docker=$( [ -x /usr/bin/docker ] && echo /usr/bin/docker || command -v docker )
if ! $force && "$docker" image inspect "$image" >/dev/null 2>&1; then
  echo "$image exists"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# minbase: essential packages and apt; bash and coreutils serve the image's health check
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/usr/share/doc" \
  "$work/rootfs/usr/share/man"
tar -C "$work/rootfs" -c . | "$docker" import \
  -c 'ENV LANG=C.UTF-8' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -m "Debian bookworm minbase with openjdk-17-jre-headless" - "$image" >/dev/null
echo "$image built from Debian's packages ($("$docker" image inspect -f '{{.Size}}' "$image") bytes)"
