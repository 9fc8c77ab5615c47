# Delete the local k3d cluster and everything in it (its volumes: collected data, digests).
use ../lib.nu *

def main [
  --dry-run               # print the commands instead of running them
] {
  require k3d --dry-run=$dry_run
  sh [k3d cluster delete $CLUSTER] --dry-run=$dry_run
  finish $"cluster ($CLUSTER) deleted" --dry-run=$dry_run
}
