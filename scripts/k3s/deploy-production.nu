# Deploy k8s/overlays/production to the DGX's k3s, with the image `just docker-push`
# pushed (the same tag: this checkout's commit) unless --image says otherwise.
use ../lib.nu *
use deploy-common.nu *

def main [
  --dry-run               # print the commands instead of running them
  --image: string         # image to run (default: $SPARKY_IMAGE, else <registry>/sparky:<commit>)
  --context: string       # kubectl context (default: the kubeconfig's current one)
  --kubeconfig: string    # default: $SPARKY_KUBECONFIG, else ~/.kube/sparky-dgx.yaml when present
] {
  let file = $kubeconfig | default ($env.SPARKY_KUBECONFIG? | default ("~/.kube/sparky-dgx.yaml" | path expand))
  let kube = kube-args --context $context --kubeconfig (if ($file | path exists) { $file } else { null })
  require kubectl --dry-run=$dry_run
  require-cluster $kube "install k3s on the DGX with `just k3s-install-dgx`, or pass --context / --kubeconfig" --dry-run=$dry_run
  let image = $image | default ($env.SPARKY_IMAGE? | default $"(registry)/sparky:(git-tag)")
  let at = $image | split row "@" | first
  let parts = $at | parse --regex '^(?<name>.+?)(?::(?<tag>[^:/]+))?$' | first
  if ($parts.tag | is-empty) { error make --unspanned { msg: $"--image ($image): give a tag, e.g. ($image):v1" } }
  # A throwaway kustomization on top of the overlay that sets the image: nothing in the checkout changes.
  let dir = mktemp --directory --tmpdir sparky-deploy.XXXXXX
  let overlay = $ROOT | path join k8s overlays production
  {
    apiVersion: "kustomize.config.k8s.io/v1beta1"
    kind: Kustomization
    # kustomize takes only relative paths to other kustomizations.
    resources: [([...(1..<($dir | path split | length) | each { ".." }), ...($overlay | path split | skip 1)] | path join)]
    images: [{ name: "ghcr.io/raibid-labs/sparky", newName: $parts.name, newTag: $parts.tag }]
  } | to yaml | save --force ($dir | path join kustomization.yaml)
  # Rendered offline first: a broken overlay stops here, before anything reaches the cluster.
  let rendered = do { ^kubectl kustomize $dir } | complete
  if $rendered.exit_code != 0 {
    rm --recursive --force $dir
    error make --unspanned { msg: $"kubectl kustomize ($overlay) failed: ($rendered.stderr | str trim)" }
  }
  let uses = $rendered.stdout | lines | where {|l| ($l | str trim) == $"image: ($parts.name):($parts.tag)" } | length
  print $"# ($overlay) with image ($parts.name):($parts.tag) \(($uses) containers\)"
  ensure-namespace $kube --dry-run=$dry_run
  let changed = apply-secrets $kube --dry-run=$dry_run
  apply-overlay $kube $dir --dry-run=$dry_run
  if $changed { restart-services $kube --dry-run=$dry_run }
  wait-rollout $kube --dry-run=$dry_run
  rm --recursive --force $dir
  print $"deployed ($image); watch it with: just status, just logs-follow"
}
