# What Sparky is doing. When the cluster answers: its pods, services, volumes and jobs in
# namespace sparky, and `sparky status` run inside the orchestrator (its data/state).
# Otherwise (or with --local): `sparky status` on this machine's data/.
use ../lib.nu *

def main [
  --local                 # this machine's data/ only
  --context: string       # kubectl context (default: the current one)
  --kubeconfig: string    # kubeconfig file (default: kubectl's)
  --dry-run               # print the commands instead of running them
] {
  let kube = kube-args --context $context --kubeconfig $kubeconfig
  let in_cluster = if $local { false } else if $dry_run { has kubectl } else {
    (cluster-reachable $kube) and ((do { ^kubectl ...$kube get namespace $NAMESPACE -o name } | complete).exit_code == 0)
  }
  if not $in_cluster {
    if not $local { print --stderr "no cluster with namespace sparky answers: showing this machine's data/ (sparky status)" }
    sh [node ($ROOT | path join packages cli bin sparky.js) status] --dry-run=$dry_run
    finish --dry-run=$dry_run
    return
  }
  sh [kubectl ...$kube -n $NAMESPACE get "deployments,pods,services,pvc,jobs" -o wide] --dry-run=$dry_run
  sh [kubectl ...$kube -n $NAMESPACE exec deploy/sparky-orchestrator -- sparky status] --dry-run=$dry_run
  finish --dry-run=$dry_run
}
