# Create the local k3d cluster: one node, this checkout mounted read-only at /repos/sparky
# (the collector's local git source), the runs API on localhost:30080, Grafana on :30300.
use ../lib.nu *

def main [
  --dry-run               # print the commands instead of running them
] {
  require docker k3d kubectl --dry-run=$dry_run
  require-docker-daemon --dry-run=$dry_run
  let exists = if $dry_run { false } else {
    (do { ^k3d cluster get $CLUSTER } | complete).exit_code == 0
  }
  if $exists {
    print $"k3d cluster ($CLUSTER) exists already \(kubectl context ($LOCAL_CONTEXT)\); `just k3d-destroy` removes it"
    return
  }
  sh [k3d cluster create $CLUSTER
    --servers 1 --agents 0
    --volume $"($ROOT):/repos/sparky@server:0"
    --port "30080:30080@server:0"
    --port "30300:30300@server:0"
    --k3s-arg "--disable=traefik@server:0"
    --wait --timeout 180s] --dry-run=$dry_run
  sh [kubectl --context $LOCAL_CONTEXT wait --for=condition=Ready nodes --all --timeout=120s] --dry-run=$dry_run
  finish $"cluster ($CLUSTER) ready \(kubectl context ($LOCAL_CONTEXT)\); next: just deploy-local" --dry-run=$dry_run
}
