# Helpers shared by Sparky's Nushell scripts: run (or, with --dry-run, print) commands,
# check prerequisites and say how to get what is missing, find the cluster.

# The checkout this file belongs to.
export const ROOT = path self ..

# The k3d cluster `just k3d-create` makes, and the kubectl context k3d gives it.
export const CLUSTER = "sparky"
export const LOCAL_CONTEXT = "k3d-sparky"
export const NAMESPACE = "sparky"
export const LOCAL_IMAGE = "sparky:local"
export const SERVICES = [orchestrator collector analyzer generator publisher]

# How to get each tool this repository's scripts use.
const INSTALL = {
  docker: "Docker Engine (Linux: https://docs.docker.com/engine/install/) or Docker Desktop (macOS, Windows)"
  k3d: "k3d 5.6+: `curl -s https://raw.githubusercontent.com/k3d-io/k3d/main/install.sh | bash`, or `brew install k3d`"
  kubectl: "kubectl 1.30+: https://kubernetes.io/docs/tasks/tools/ (or `brew install kubectl`)"
  k3sup: "k3sup 0.13+: `curl -sLS https://get.k3sup.dev | sh && sudo install k3sup /usr/local/bin/`, or `brew install k3sup`"
  ssh: "an OpenSSH client (`apt-get install openssh-client`), with key access to the DGX"
  git: "git (`apt-get install git`, `brew install git`)"
  node: "Node.js 20.19+ (https://nodejs.org)"
}

# Quote one argument the way a POSIX shell would need it.
def quote [arg: string]: nothing -> string {
  if ($arg =~ '^[\w@%+=:,./~-]+$') { $arg } else { $"'($arg | str replace --all "'" "'\\''")'" }
}

# The command line as it would be typed.
export def show [cmd: list<string>]: nothing -> string {
  $cmd | each {|a| quote $a } | str join " "
}

# Run a command (`sh`), or print it (prefixed "+ ") with --dry-run. Fails when the command fails.
export def sh [cmd: list<string>, --dry-run] {
  print $"+ (show $cmd)"
  if $dry_run { return }
  run-external ($cmd | first) ...($cmd | skip 1)
}

# Run a command and capture it; with --dry-run, print it and return an empty success.
export def capture [cmd: list<string>, --dry-run]: nothing -> record {
  if $dry_run {
    print $"+ (show $cmd)"
    return { stdout: "", stderr: "", exit_code: 0 }
  }
  do { run-external ($cmd | first) ...($cmd | skip 1) } | complete
}

# Is a tool on PATH?
export def has [tool: string]: nothing -> bool {
  not (which $tool | where type == external | is-empty)
}

# Check that every tool is on PATH. Missing ones are named with how to get them: an
# error, or with --dry-run a note on stderr (a dry run only prints commands).
export def require [...tools: string, --dry-run] {
  let missing = $tools | where {|t| not (has $t) }
  if ($missing | is-empty) { return }
  let lines = $missing | each {|t| $"  ($t): install ($INSTALL | get -o $t | default 'it')" } | str join "\n"
  if $dry_run {
    print --stderr $"note: a real run needs, and this machine lacks:\n($lines)"
    return
  }
  error make --unspanned { msg: $"missing prerequisites:\n($lines)" }
}

# Check that the Docker daemon answers (the client alone cannot build).
export def require-docker-daemon [--dry-run] {
  if $dry_run or not (has docker) { return }
  let info = do { ^docker info --format "{{.ServerVersion}}" } | complete
  if $info.exit_code != 0 {
    error make --unspanned { msg: $"the Docker daemon does not answer \(docker info: ($info.stderr | str trim)\): start Docker \(Docker Desktop, or `sudo systemctl start docker`\) and make sure your user may use it" }
  }
}

# The last line a script prints: what it did, or with --dry-run exactly "dry run: nothing
# was changed", so a dry run never reads as if something had been built, pushed or deployed.
export def finish [message?: string, --dry-run] {
  if $dry_run { print "dry run: nothing was changed" } else if $message != null { print $message }
}

# kubectl's arguments that pick a cluster: --context and/or --kubeconfig.
export def kube-args [--context: string, --kubeconfig: string]: nothing -> list<string> {
  mut args = []
  if ($kubeconfig | is-not-empty) { $args = ($args | append [--kubeconfig ($kubeconfig | path expand)]) }
  if ($context | is-not-empty) { $args = ($args | append [--context $context]) }
  $args
}

# The context `just k3s-install-dgx` writes into the DGX's kubeconfig.
export const DGX_CONTEXT = "sparky-dgx"

# kubectl's arguments for the DGX: always an explicit kubeconfig file and context, never
# kubectl's current context or $KUBECONFIG, which may point at another cluster. The file is
# --kubeconfig, else $SPARKY_KUBECONFIG, else ~/.kube/sparky-dgx.yaml; the context is
# --context, else sparky-dgx. Fails, saying how to fix it, when the file or the context is
# missing (also in a dry run: it prints the commands a real run would execute).
export def dgx-kube-args [--context: string, --kubeconfig: string]: nothing -> list<string> {
  let given = $kubeconfig | default ($env.SPARKY_KUBECONFIG? | default "~/.kube/sparky-dgx.yaml")
  let file = $given | path expand
  let context = $context | default $DGX_CONTEXT
  if not ($file | path exists) {
    error make --unspanned { msg: $"no kubeconfig for the DGX at ($given): `just k3s-install-dgx` writes it there; for a cluster installed otherwise, pass --kubeconfig FILE or set SPARKY_KUBECONFIG=FILE \(kubectl's current context is never used\)" }
  }
  let contexts = try {
    open --raw $file | from yaml | get -o contexts | default [] | each {|c| $c.name }
  } catch {|e|
    error make --unspanned { msg: $"could not read the kubeconfig ($file): ($e.msg)" }
  }
  if $context not-in $contexts {
    let known = if ($contexts | is-empty) { "none" } else { $contexts | str join ", " }
    error make --unspanned { msg: $"the kubeconfig ($file) has no context ($context) \(it has: ($known)\): pass --context NAME" }
  }
  kube-args --context $context --kubeconfig $file
}

# Does the cluster answer? (a short timeout: a laptop without a cluster answers fast)
export def cluster-reachable [kube: list<string>]: nothing -> bool {
  if not (has kubectl) { return false }
  let r = do { ^kubectl ...$kube --request-timeout=5s get --raw /readyz } | complete
  $r.exit_code == 0
}

# Fail with what to do when the cluster does not answer.
export def require-cluster [kube: list<string>, hint: string, --dry-run] {
  require kubectl --dry-run=$dry_run
  if $dry_run { return }
  if not (cluster-reachable $kube) {
    error make --unspanned { msg: $"no Kubernetes cluster answers \(kubectl (show $kube) get --raw /readyz\): ($hint)" }
  }
}

# The image tag for this checkout: the short commit, with -dirty when files changed.
export def git-tag []: nothing -> string {
  let sha = do { ^git -C $ROOT rev-parse --short=12 HEAD } | complete
  if $sha.exit_code != 0 { return "dev" }
  let dirty = do { ^git -C $ROOT status --porcelain --untracked-files=no } | complete
  let suffix = if ($dirty.stdout | str trim | is-empty) { "" } else { "-dirty" }
  $"($sha.stdout | str trim)($suffix)"
}

# The registry images are pushed to and production pulls from.
export def registry []: nothing -> string {
  $env.SPARKY_REGISTRY? | default "ghcr.io/raibid-labs"
}

# Today in UTC (Sparky's configured time zone), YYYY-MM-DD.
export def today []: nothing -> string {
  date now | date to-timezone UTC | format date "%Y-%m-%d"
}
