# Deploy k8s/overlays/production to the DGX's k3s, with the image `just docker-push`
# pushed (the same tag: this checkout's commit) unless --image says otherwise.
use ../lib.nu *
use deploy-common.nu *

def main [
  --dry-run               # print the commands instead of running them
  --image: string         # image to run (default: $SPARKY_IMAGE, else <registry>/sparky:<commit>)
  --context: string       # kubectl context in the kubeconfig (default: sparky-dgx)
  --kubeconfig: string    # the DGX's kubeconfig (default: $SPARKY_KUBECONFIG, else ~/.kube/sparky-dgx.yaml)
] {
  # Everything production needs from this machine, checked before anything runs, and in a
  # dry run too: a dry run that passes here is one a real run would get past.
  let missing = missing-secrets
  let kube = try { dgx-kube-args --context $context --kubeconfig $kubeconfig } catch {|e| $e.msg }
  let problems = $missing | append (if ($kube | describe) == "string" { [$kube] } else { [] })
  if ($problems | is-not-empty) {
    error make --unspanned { msg: $"deploy-production cannot start:\n($problems | each {|p| $'  - ($p)' } | str join "\n")" }
  }
  require kubectl --dry-run=$dry_run
  require-cluster $kube "is k3s up on the DGX (`just k3s-install-dgx`), and is this the right kubeconfig?" --dry-run=$dry_run
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
  let rendered = do { ^kubectl ...$kube kustomize $dir } | complete
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
  finish $"deployed ($image); watch it with: just status, just logs-follow" --dry-run=$dry_run
}

# What the production Secret cannot do without, each with how to provide it. The Secret is
# filled from this environment; a deployment without these could neither read GitHub nor
# push the digests (the publisher's ssh trusts only the hosts in its known_hosts).
def missing-secrets []: nothing -> list<string> {
  mut missing = []
  if ($env.GITHUB_TOKEN? | is-empty) {
    $missing = ($missing | append "GITHUB_TOKEN is not set: export a token that can read the organisation's repositories: export GITHUB_TOKEN=ghp_...")
  }
  let files = [
    [variable what example];
    [SPARKY_GIT_SSH_KEY "the path of a private key allowed to push to the docs repository (a deploy key with write access)" "~/.ssh/sparky-docs"]
    [SPARKY_GIT_KNOWN_HOSTS "the path of a known_hosts file with the docs remote's host key (ssh-keyscan github.com > known_hosts, fingerprints checked against GitHub's published ones)" "~/.ssh/sparky-known-hosts"]
  ]
  for f in $files {
    let value = $env | get -o $f.variable | default ""
    if ($value | is-empty) {
      $missing = ($missing | append $"($f.variable) is not set: export ($f.what): export ($f.variable)=($f.example)")
    } else if not ($value | path expand | path exists) {
      $missing = ($missing | append $"($f.variable)=($value): no such file; it must be ($f.what)")
    }
  }
  $missing
}
