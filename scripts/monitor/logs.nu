# The five services' logs (JSON lines, one prefix per pod), from the cluster.
use ../lib.nu *

def main [
  --follow (-f)           # keep streaming
  --service: string       # only this one: orchestrator, collector, analyzer, generator, publisher
  --tail: int = 100       # lines per pod to start with
  --context: string       # kubectl context (default: the current one)
  --kubeconfig: string    # kubeconfig file (default: kubectl's)
  --dry-run               # print the command instead of running it
] {
  let kube = kube-args --context $context --kubeconfig $kubeconfig
  require-cluster $kube "deploy first (`just deploy-local` or `just deploy-production`), or pick the cluster with --context" --dry-run=$dry_run
  let selector = if $service == null {
    $"app.kubernetes.io/component in \(($SERVICES | str join ',')\)"
  } else if $service in $SERVICES {
    $"app.kubernetes.io/name=sparky-($service)"
  } else {
    error make --unspanned { msg: $"--service ($service): expected one of ($SERVICES | str join ', ')" }
  }
  let follow_args = if $follow { [--follow] } else { [] }
  sh [kubectl ...$kube -n $NAMESPACE logs --selector $selector --all-containers --prefix --timestamps $"--tail=($tail)" --max-log-requests=10 ...$follow_args] --dry-run=$dry_run
  finish --dry-run=$dry_run
}
