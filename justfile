# Sparky's command centre. `just` comes with the project: after `npx -y pnpm@10.34.9 install`,
# run recipes with `npx just <recipe>` (or put node_modules/.bin on your PATH).

set shell := ["bash", "-euo", "pipefail", "-c"]

pnpm := "npx -y pnpm@10.34.9"
sparky := "node packages/cli/bin/sparky.js"
# Nushell comes with the project (devDependency nushell): recipes longer than a line run scripts/*.nu.
nu := justfile_directory() / "node_modules/.bin/nu"

# just_executable() is the `just` running this recipe, so a bare `npx just` works without
# `just` on PATH.
# List the recipes
default:
    @{{just_executable()}} --justfile {{justfile()}} --list --unsorted

# Install dependencies and build every package
install:
    {{pnpm}} install

# Build (type-check and compile) every package
build:
    {{pnpm}} run build

# Run the whole test suite (unit and cross-process)
test:
    {{pnpm}} test

# Type-check and test: what CI runs
check:
    {{pnpm}} run check

# A real digest of this repository: the week of its newest commit
demo: build
    {{sparky}} digest --period weekly --date latest

# Yesterday's daily digest of the configured repositories
demo-daily: build
    {{sparky}} digest --period daily

# Run one service in the foreground over tcp (config/development.toml)
dev-orchestrator: build
    {{sparky}} serve orchestrator

dev-collector: build
    {{sparky}} serve collector

dev-analyzer: build
    {{sparky}} serve analyzer

dev-generator: build
    {{sparky}} serve generator

dev-publisher: build
    {{sparky}} serve publisher

# The five services in one long-running process over inproc (runs API, schedules, notifications)
dev-all: build
    {{sparky}} serve all

# With a reachable cluster (namespace sparky): its pods, services, volumes and jobs, and
# `sparky status` run inside the orchestrator. Else `sparky status` on this machine's data/,
# which works with nothing running. --local forces the latter; --context NAME picks a cluster.
#
# Sparky's state: the cluster's when one answers, else this machine's (sparky status)
status *ARGS:
    {{nu}} scripts/monitor/status.nu {{ARGS}}

# Runs, most recent first
tasks *ARGS:
    {{sparky}} tasks {{ARGS}}

# Follow the event bus of served services
events:
    {{sparky}} events --follow

# Benchmarks: command round trip vs raw zeromq, a 50k-commit repository vs git log, a daily run's git cost with the
# scan cache on 60k- and 500k-commit repositories vs git log --since, GitHub requests vs a REST crawl,
# the grounding checks' error rates on a labelled corpus, a weekly digest against a model slower than timeout_ms,
# the data directory after a year of daily digests with retain_raw_days = 90 and 0; start-up of
# status/tasks/--help and of a tiny digest vs `node -e 0`, stage services' idle RSS; reading a
# period's tags vs `git rev-list --count`, the largest theme's share on real repositories, the
# dashboard's overview with 3 years of digests in Chromium
bench: build
    node bench/transport-roundtrip.mjs
    node bench/transport-codec-split.mjs 5000 tcp
    node bench/transport-codec-split.mjs 5000 inproc
    node bench/cli-startup.mjs
    node bench/service-idle-rss.mjs
    node bench/digest-startup.mjs
    node bench/collect-large-repo.mjs
    node bench/git-scan-cache.mjs
    node bench/llm-calls.mjs
    node bench/github-requests.mjs
    node bench/grounding-corpus.mjs
    node bench/retention.mjs
    node bench/llm-slow-model.mjs
    node bench/backfill.mjs
    node bench/read-tags.mjs
    node bench/theme-shares.mjs
    node bench/dashboard.mjs

# Never data/ or output/: output/ is the default docs repository, data/ the runs' state
# (`just clean-data` removes those, with care).
# Remove build output: compiled packages, the CLI bundle, benchmark and CI reports
clean:
    rm -rf packages/*/dist packages/*/tsconfig.tsbuildinfo packages/cli/bundle .tmp-tests .bench .ci/vitest-report.json

# Remove collected data and state (data/); --docs also the digests (output/), asking first when it is a git repository
clean-data *ARGS:
    {{nu}} scripts/clean-data.nu {{ARGS}}

# What CI runs, from installing to the last test (.ci/run)
ci:
    bash .ci/run

# === Image ===

# Build the image (Dockerfile) as sparky:local and sparky:<commit>
docker-build *ARGS:
    {{nu}} scripts/docker/build.nu {{ARGS}}

# Push sparky:local as $SPARKY_REGISTRY/sparky:<commit> (default registry ghcr.io/raibid-labs)
docker-push *ARGS:
    {{nu}} scripts/docker/push.nu {{ARGS}}

# === k3d on this machine ===

# Create the k3d cluster `sparky` (this checkout mounted for the collector; API :30080, Grafana :30300)
k3d-create *ARGS:
    {{nu}} scripts/k3s/create-cluster.nu {{ARGS}}

# Delete the k3d cluster and its volumes
k3d-destroy *ARGS:
    {{nu}} scripts/k3s/destroy-cluster.nu {{ARGS}}

# Build the image, import it into k3d, deploy k8s/overlays/local and wait for it
deploy-local *ARGS:
    {{nu}} scripts/k3s/deploy-local.nu {{ARGS}}

# Deploy Ollama alone and pull the model (--overlay production for the DGX)
deploy-ollama *ARGS:
    {{nu}} scripts/k3s/deploy-ollama.nu {{ARGS}}

# === The DGX ===

# Install k3s on the DGX (DGX_HOST, DGX_USER) with k3sup, and its GPU device plugin
k3s-install-dgx *ARGS:
    {{nu}} scripts/k3s/install-dgx.nu {{ARGS}}

# Deploy k8s/overlays/production with the pushed image (--image REF to choose)
deploy-production *ARGS:
    {{nu}} scripts/k3s/deploy-production.nu {{ARGS}}

# === Runs on the deployed orchestrator (SPARKY_API_TOKEN; --target production for the DGX, --local for this machine) ===

# Today's daily digest (UTC), followed to the end
collect-today *ARGS:
    {{nu}} scripts/collect.nu --period daily --date today {{ARGS}}

# The weekly digest of the week containing yesterday (or --date D)
collect-weekly *ARGS:
    {{nu}} scripts/collect.nu --period weekly {{ARGS}}

# Follow the five services' logs in the cluster (--service NAME for one)
logs-follow *ARGS:
    {{nu}} scripts/monitor/logs.nu --follow {{ARGS}}
