# Sparky's command centre. `just` comes with the project: after `npx -y pnpm@10.34.9 install`,
# run recipes with `npx just <recipe>` (or put node_modules/.bin on your PATH).

set shell := ["bash", "-euo", "pipefail", "-c"]

pnpm := "npx -y pnpm@10.34.9"
sparky := "node packages/cli/bin/sparky.js"

# List the recipes
default:
    @just --list --unsorted

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

# Orchestrator state and the last runs (works with nothing running)
status:
    {{sparky}} status

# Runs, most recent first
tasks *ARGS:
    {{sparky}} tasks {{ARGS}}

# Follow the event bus of served services
events:
    {{sparky}} events --follow

# Benchmarks: command round trip vs raw zeromq, and collecting a 50k-commit repository vs git log
bench: build
    node bench/transport-roundtrip.mjs
    node bench/collect-large-repo.mjs

# Remove build output, collected data and generated digests
clean:
    rm -rf packages/*/dist packages/*/tsconfig.tsbuildinfo data output .bench
