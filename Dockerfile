# One image for the five services; the service is the argument:
#   docker build -t sparky:local .
#   docker run --rm sparky:local collector            # = sparky serve collector
#   docker run --rm --entrypoint sparky sparky:local digest --help
# Stages: build (every dependency, TypeScript compiled), prod (production dependencies
# only, beside the compiled output), runtime (Node 26 LTS slim, git, ssh, non-root).

ARG NODE_IMAGE=node:26-trixie-slim

FROM ${NODE_IMAGE} AS pnpm
# The version package.json's packageManager pins. Installed with npm: corepack's
# signature check fails against registries that publish no signatures.
ARG PNPM_VERSION=10.34.9
RUN npm install --global --no-fund --no-audit pnpm@${PNPM_VERSION} && npm cache clean --force
ENV CI=true
WORKDIR /src

FROM pnpm AS build
# The lockfile alone fetches every package: this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# --ignore-scripts: the root `prepare` would build before the sources are all in place;
# the build runs next, explicitly: TypeScript only, since services run from dist/ (the CLI's
# bundle is for one-shot commands, see README). zeromq's native binary ships in its package.
RUN pnpm install --offline --frozen-lockfile --ignore-scripts \
 && pnpm exec tsc -b \
 && mkdir -p /out/packages \
 && for dir in packages/*/; do \
      name="$(basename "$dir")"; \
      mkdir -p "/out/packages/$name"; \
      cp "$dir/package.json" "/out/packages/$name/"; \
      for part in dist bin; do if [ -d "$dir/$part" ]; then cp -R "$dir/$part" "/out/packages/$name/"; fi; done; \
    done \
 && find /out/packages -name '*.tsbuildinfo' -delete \
 && cp package.json pnpm-lock.yaml pnpm-workspace.yaml /out/

FROM pnpm AS prod
WORKDIR /app
COPY --from=build /out/ ./
# Production dependencies only: no TypeScript, vitest or test tools in the image.
# Then what nothing loads at run time: type declarations, source maps, and zeromq's
# prebuilt addons for other systems (it ships darwin, win32 and both Linux arches).
RUN pnpm install --prod --frozen-lockfile --ignore-scripts \
 && rm -rf /root/.cache /root/.local/share/pnpm \
 && case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac \
 && for build in node_modules/.pnpm/zeromq@*/node_modules/zeromq/build; do \
      find "$build" -mindepth 1 -maxdepth 1 -type d ! -name linux -exec rm -rf {} +; \
      find "$build/linux" -mindepth 1 -maxdepth 1 -type d ! -name "$arch" -exec rm -rf {} +; \
    done \
 && find node_modules/.pnpm -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete

FROM ${NODE_IMAGE} AS runtime
# git: the collector reads repositories and the publisher commits and pushes the docs
# repository; openssh-client: pushes to git@ remotes; tini: PID 1 that forwards SIGTERM
# and reaps git's children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && groupadd --gid 10001 sparky \
 && useradd --uid 10001 --gid 10001 --home-dir /home/sparky --create-home --shell /usr/sbin/nologin sparky \
 && install -d -o 10001 -g 10001 -m 0700 /home/sparky/.ssh \
 && install -d -o 10001 -g 10001 /data /output
# Repositories mounted into the container belong to another user: let git read them.
RUN git config --system --add safe.directory '*'
COPY docker/ssh_config /etc/ssh/ssh_config.d/sparky.conf
WORKDIR /app
COPY --from=prod /app/ ./
COPY config/ ./config/
COPY docker/healthcheck.mjs ./docker/healthcheck.mjs
RUN printf '#!/bin/sh\nexec node /app/packages/cli/bin/sparky.js "$@"\n' > /usr/local/bin/sparky \
 && chmod 0755 /usr/local/bin/sparky

ENV NODE_ENV=production \
    SPARKY_ENV=production \
    HOME=/home/sparky
USER 10001:10001

# HTTP (/health, /ready, /metrics; the orchestrator's runs API), the event bus, the stages' REP sockets.
EXPOSE 8080 5556 5557 5561 5562 5563 5564 9101 9102 9103 9104
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=2", "/app/packages/cli/bin/sparky.js", "serve"]
CMD ["orchestrator"]
