# Deploy (or update) Ollama alone and pull the configured model, then wait for both.
use ../lib.nu *
use deploy-common.nu *

def main [
  --dry-run               # print the commands instead of running them
  --overlay: string = "local"   # local (k3d, CPU) or production (the DGX, GPU)
  --context: string       # kubectl context (default: k3d-sparky for local, sparky-dgx for production)
  --kubeconfig: string    # kubeconfig file (production default: $SPARKY_KUBECONFIG, else ~/.kube/sparky-dgx.yaml)
] {
  if $overlay not-in [local production] {
    error make --unspanned { msg: $"--overlay ($overlay): expected local or production" }
  }
  # Production never falls back to kubectl's current context (see dgx-kube-args).
  let kube = if $overlay == "local" { kube-args --context ($context | default $LOCAL_CONTEXT) --kubeconfig $kubeconfig } else {
    dgx-kube-args --context $context --kubeconfig $kubeconfig
  }
  require-cluster $kube (if $overlay == "local" { "create it with `just k3d-create`" } else { "install k3s with `just k3s-install-dgx`, or pass --context / --kubeconfig" }) --dry-run=$dry_run
  ensure-namespace $kube --dry-run=$dry_run
  sh [kubectl ...$kube -n $NAMESPACE delete job ollama-pull-model --ignore-not-found] --dry-run=$dry_run
  sh [kubectl ...$kube apply --server-side --force-conflicts -k ($ROOT | path join k8s overlays $overlay) --selector app.kubernetes.io/component=llm] --dry-run=$dry_run
  sh [kubectl ...$kube -n $NAMESPACE rollout status deployment/ollama --timeout=600s] --dry-run=$dry_run
  sh [kubectl ...$kube -n $NAMESPACE wait --for=condition=complete job/ollama-pull-model --timeout=1800s] --dry-run=$dry_run
  finish "Ollama is up with its model" --dry-run=$dry_run
}
