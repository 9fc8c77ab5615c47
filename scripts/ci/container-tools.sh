#!/usr/bin/env bash
# Makes the container tests (tests/containers) runnable on a Debian CI machine, as root:
# Docker's engine and Compose v2 (Debian's trixie suite: bookworm's docker-compose is v1),
# Prometheus and promtool, debootstrap for the stand-in base image; starts dockerd when
# none answers; builds (or reloads from its cache) the stand-in base image.
#
# Sourced by .ci/run. It never fails the run: when something cannot be had it prints one
# line saying why and exports SPARKY_SKIP_CONTAINER_TESTS, which the tests print and skip on.

skip() {
  echo "container tests will be skipped: $1"
  export SPARKY_SKIP_CONTAINER_TESTS="$1"
}

container_tools() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    docker info >/dev/null 2>&1 || { skip "no Docker engine answers, and installing one needs root on Debian (apt-get)"; return; }
  else
    local need=()
    command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
    docker compose version 2>/dev/null | grep -q ' v\?2\.' || need+=(docker-compose)
    command -v promtool >/dev/null 2>&1 || need+=(prometheus)
    command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
    if [ "${#need[@]}" -gt 0 ]; then
      echo "installing ${need[*]} for the container tests"
      if [ ! -e /etc/apt/sources.list.d/sparky-ci-trixie.sources ] && ! grep -rqs 'trixie' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
          > /etc/apt/sources.list.d/sparky-ci-trixie.sources
        # Only what is asked for by name with -t trixie comes from trixie.
        printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/sparky-ci-trixie
      fi
      apt-get update -qq >/dev/null 2>&1 || true
      # Compose v2 (2.26) and the engine it is built against, from trixie by name only: `-t trixie`
      # would also take libc6, systemd and the rest from trixie. Checked with `apt-get install -s`
      # on a bookworm rootfs: only containerd comes along.
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        docker.io/trixie docker-cli/trixie docker-compose/trixie docker-buildx/trixie >/tmp/sparky-ci-apt.log 2>&1 \
        || { skip "could not install Docker and Compose v2 from Debian (see /tmp/sparky-ci-apt.log)"; return; }
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus debootstrap >>/tmp/sparky-ci-apt.log 2>&1 \
        || echo "warning: could not install prometheus/debootstrap (see /tmp/sparky-ci-apt.log)"
    fi
    if ! docker info >/dev/null 2>&1; then
      (dockerd >/var/log/sparky-ci-dockerd.log 2>&1 &)
      for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
      docker info >/dev/null 2>&1 || { skip "dockerd did not start (see /var/log/sparky-ci-dockerd.log)"; return; }
    fi
  fi
  docker compose version 2>/dev/null | grep -q ' v\?2\.' || { skip "Compose v2 is not installed (docker compose version)"; return; }
  # No image registry answers here: the base image is built locally and cached.
  if ! docker image inspect "$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)" >/dev/null 2>&1; then
    bash scripts/ci/standin-base.sh || { skip "the stand-in base image could not be built (scripts/ci/standin-base.sh)"; return; }
  fi
  # Earlier CI runs' superseded image layers (dangling) would pile up on a reused machine.
  docker image prune --force >/dev/null 2>&1 || true
  # RUN steps reach the package registries from the host network only.
  export SPARKY_TEST_BUILD_NETWORK=host
}

container_tools
