# What deploy-local and deploy-production share: the Secret from the environment, the
# manifests, the model-pull Job, waiting for the rollout.
use ../lib.nu *

# [{key, value}] -> {key: value} (also for an empty list).
def pairs-to-record []: list<any> -> record {
  reduce --fold {} {|kv, acc| $acc | insert $kv.key $kv.value }
}

# Fill the sparky-secrets Secret from the environment, keeping keys already in the
# cluster that the environment does not set. Values go to kubectl on stdin only: never on a
# command line, never on disk, never printed. Returns true when something changed.
#   GITHUB_TOKEN, SPARKY_API_TOKEN            their values
#   SPARKY_GIT_SSH_KEY                        path of a private key allowed to push to the docs remote
#   SPARKY_GIT_KNOWN_HOSTS                    path of a known_hosts file for the docs remote's host
# SPARKY_API_TOKEN is generated when neither the environment nor the cluster has one.
export def apply-secrets [kube: list<string>, --dry-run]: nothing -> bool {
  let from_env = {
    GITHUB_TOKEN: ($env.GITHUB_TOKEN? | default "")
    SPARKY_API_TOKEN: ($env.SPARKY_API_TOKEN? | default "")
    GIT_SSH_PRIVATE_KEY: (if ($env.SPARKY_GIT_SSH_KEY? | is-not-empty) { open --raw ($env.SPARKY_GIT_SSH_KEY | path expand) } else { "" })
    GIT_KNOWN_HOSTS: (if ($env.SPARKY_GIT_KNOWN_HOSTS? | is-not-empty) { open --raw ($env.SPARKY_GIT_KNOWN_HOSTS | path expand) } else { "" })
  } | transpose key value | where value != "" | pairs-to-record
  let get = [kubectl ...$kube -n $NAMESPACE get secret sparky-secrets -o json --ignore-not-found]
  let existing = if $dry_run { print $"+ (show $get)"; {} } else {
    let r = do { run-external ($get | first) ...($get | skip 1) } | complete
    if $r.exit_code != 0 { error make --unspanned { msg: $"could not read secret sparky-secrets: ($r.stderr | str trim)" } }
    if ($r.stdout | str trim | is-empty) { {} } else {
      $r.stdout | from json | get -o data | default {} | transpose key value
        | each {|kv| { key: $kv.key, value: ($kv.value | decode base64 | decode) } } | pairs-to-record
    }
  }
  mut data = $existing | merge $from_env
  if ($data | get -o SPARKY_API_TOKEN | is-empty) {
    $data = ($data | upsert SPARKY_API_TOKEN (random chars --length 40))
    let verb = if $dry_run { "would generate" } else { "generated" }
    print $"($verb) SPARKY_API_TOKEN; read it with: (show [kubectl ...$kube -n $NAMESPACE get secret sparky-secrets -o 'jsonpath={.data.SPARKY_API_TOKEN}']) | base64 -d"
  }
  let changed = $data != $existing
  let apply = [kubectl ...$kube apply --server-side --field-manager=sparky-secrets -f -]
  let keys = $data | columns | sort | str join ", "
  print $"+ (show $apply)   # Secret ($NAMESPACE)/sparky-secrets on stdin: ($keys) \(values not shown\)"
  if $dry_run { return $changed }
  let secret = {
    apiVersion: v1
    kind: Secret
    type: Opaque
    metadata: { name: sparky-secrets, namespace: $NAMESPACE }
    data: ($data | transpose key value | each {|kv| { key: $kv.key, value: ($kv.value | encode base64) } } | pairs-to-record)
  }
  $secret | to json | run-external ($apply | first) ...($apply | skip 1)
  $changed
}

# Make sure the namespace exists (the Secret goes in before the pods that read it).
export def ensure-namespace [kube: list<string>, --dry-run] {
  let r = capture [kubectl ...$kube get namespace $NAMESPACE -o name] --dry-run=$dry_run
  if $dry_run or $r.exit_code != 0 {
    sh [kubectl ...$kube create namespace $NAMESPACE] --dry-run=$dry_run
  }
}

# Apply an overlay (server-side, so the Secret's values, owned by another field manager,
# stay). The model-pull Job is replaced: a Job's template cannot be changed in place.
export def apply-overlay [kube: list<string>, dir: string, --dry-run] {
  sh [kubectl ...$kube -n $NAMESPACE delete job ollama-pull-model --ignore-not-found] --dry-run=$dry_run
  sh [kubectl ...$kube apply --server-side --force-conflicts -k $dir] --dry-run=$dry_run
}

# Wait until the five services (and Ollama) have rolled out.
export def wait-rollout [kube: list<string>, --dry-run, --timeout: string = "300s"] {
  for s in $SERVICES {
    sh [kubectl ...$kube -n $NAMESPACE rollout status $"deployment/sparky-($s)" $"--timeout=($timeout)"] --dry-run=$dry_run
  }
}

# Restart the five services (same image tag, new image; or new secret values).
export def restart-services [kube: list<string>, --dry-run] {
  sh [kubectl ...$kube -n $NAMESPACE rollout restart ...($SERVICES | each {|s| $"deployment/sparky-($s)" })] --dry-run=$dry_run
}
