# Debian's Prometheus in a container, for the container tests only (no registry to pull
# prom/prometheus from): Debian's package on the stand-in base image, with wget for the
# compose health check. Built by the tests:
#   docker build --network host -t sparky-test/prometheus:debian tests/containers -f tests/containers/prometheus.Dockerfile
ARG BASE=node:26-trixie-slim
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends prometheus wget && apt-get clean && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["/usr/bin/prometheus"]
