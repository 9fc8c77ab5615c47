# A git remote over ssh, for the container tests only: the publisher pushes the docs
# repository here with the key compose mounts as a secret (docker-compose.push.yml).
# Keys come at run time from /keys: host_key (sshd's), authorized_keys (the publisher's).
#   docker build --network host -t sparky-test/git-remote:debian -f tests/containers/git-remote.Dockerfile tests/containers
ARG BASE=node:26-trixie-slim
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server git && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --shell /usr/bin/git-shell git \
 && mkdir -p /run/sshd /srv && chown git:git /srv
COPY git-remote-entrypoint.sh /usr/local/bin/git-remote-entrypoint.sh
EXPOSE 22
ENTRYPOINT ["sh", "/usr/local/bin/git-remote-entrypoint.sh"]
