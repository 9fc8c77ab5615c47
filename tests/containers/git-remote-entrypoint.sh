#!/bin/sh
# Installs the keys mounted at /keys, makes the bare repository /srv/docs.git, runs sshd.
set -eu
install -d -o git -g git -m 0700 /home/git/.ssh
install -o git -g git -m 0600 /keys/authorized_keys /home/git/.ssh/authorized_keys
install -m 0600 /keys/host_key /etc/ssh/sparky_test_host_key
[ -d /srv/docs.git ] || su -s /bin/sh git -c 'git init --quiet --bare --initial-branch=main /srv/docs.git'
exec /usr/sbin/sshd -D -e -h /etc/ssh/sparky_test_host_key -o PasswordAuthentication=no -o AuthenticationMethods=publickey
