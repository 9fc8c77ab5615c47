# Install k3s on the DGX over ssh with k3sup, fetch its kubeconfig, and make the GPU
# schedulable (nvidia RuntimeClass and NVIDIA's device plugin, k8s/dgx).
# Needs on the DGX: ssh access with sudo, and the NVIDIA driver and container toolkit
# (DGX OS has both; k3s finds the toolkit and registers the `nvidia` runtime).
use ../lib.nu *

def main [
  --dry-run               # print the commands instead of running them
  --host: string          # the DGX (default: $DGX_HOST)
  --user: string          # ssh user (default: $DGX_USER, else $USER)
  --ssh-key: string       # private key for ssh (default: $DGX_SSH_KEY, else ssh's default)
  --kubeconfig: string    # where to write the kubeconfig (default: $SPARKY_KUBECONFIG or ~/.kube/sparky-dgx.yaml)
] {
  require k3sup ssh kubectl --dry-run=$dry_run
  let host = $host | default ($env.DGX_HOST? | default "")
  if ($host | is-empty) {
    error make --unspanned { msg: "name the DGX: DGX_HOST=dgx.example.lan just k3s-install-dgx (or --host)" }
  }
  let user = $user | default ($env.DGX_USER? | default ($env.USER? | default "root"))
  let file = $kubeconfig | default ($env.SPARKY_KUBECONFIG? | default ("~/.kube/sparky-dgx.yaml" | path expand))
  let key = $ssh_key | default ($env.DGX_SSH_KEY? | default "")
  let key_args = if ($key | is-empty) { [] } else { [--ssh-key ($key | path expand)] }
  sh [k3sup install --host $host --user $user ...$key_args
    --context sparky-dgx --local-path $file
    --k3s-extra-args "--disable traefik --write-kubeconfig-mode 0600"] --dry-run=$dry_run
  let kube = kube-args --kubeconfig $file
  sh [kubectl ...$kube wait --for=condition=Ready nodes --all --timeout=300s] --dry-run=$dry_run
  sh [kubectl ...$kube apply --server-side -k ($ROOT | path join k8s dgx)] --dry-run=$dry_run
  sh [kubectl ...$kube -n kube-system rollout status daemonset/nvidia-device-plugin-daemonset --timeout=300s] --dry-run=$dry_run
  if not $dry_run {
    let gpus = (do { ^kubectl ...$kube get nodes -o jsonpath="{.items[*].status.allocatable.nvidia\\.com/gpu}" } | complete).stdout | str trim
    if ($gpus | is-empty) {
      print --stderr "warning: no node advertises nvidia.com/gpu yet: check `kubectl -n kube-system logs ds/nvidia-device-plugin-daemonset` and that the NVIDIA container toolkit is installed on the DGX"
    } else {
      print $"GPUs allocatable: ($gpus)"
    }
  }
  finish $"k3s is up on ($host); kubeconfig ($file). next: just docker-build docker-push deploy-production" --dry-run=$dry_run
}
