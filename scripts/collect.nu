# Trigger a digest run on the deployed orchestrator (POST /runs with the bearer token
# from SPARKY_API_TOKEN) and follow it to the end; or, with --local, run it in this
# process with `sparky digest` (no cluster needed).
#   nu scripts/collect.nu --period daily --date 2026-11-26
#   nu scripts/collect.nu --period weekly --target production
# The API is reached at $SPARKY_API_URL when set; else local: the k3d NodePort
# (http://localhost:30080); production: a kubectl port-forward to svc/sparky-orchestrator.
use lib.nu *

const PORT_FORWARD_PORT = 18080

def main [
  --period: string = "daily"    # daily | weekly | monthly
  --date: string                # YYYY-MM-DD, today or yesterday (UTC); the period containing it (default: yesterday)
  --local                       # run `sparky digest` here instead of asking the cluster
  --target: string = "local"    # local (k3d) or production (the DGX)
  --context: string             # kubectl context for the port-forward (production default: sparky-dgx)
  --kubeconfig: string          # production: the DGX's kubeconfig (default: $SPARKY_KUBECONFIG, else ~/.kube/sparky-dgx.yaml)
  --no-wait                     # return once the run is accepted
  --timeout: duration = 30min   # longest to follow the run
  --dry-run                     # print what would be run or sent
] {
  if $period not-in [daily weekly monthly] {
    error make --unspanned { msg: $"--period ($period): expected daily, weekly or monthly" }
  }
  if ($date != null) and not ($date =~ '^(\d{4}-\d{2}-\d{2}|today|yesterday|latest)$') {
    error make --unspanned { msg: $"--date ($date): expected YYYY-MM-DD, today or yesterday \(or latest, with --local\)" }
  }
  if $local {
    require node --dry-run=$dry_run
    let date_args = if $date == null { [] } else { [--date $date] }
    sh [node ($ROOT | path join packages cli bin sparky.js) digest --period $period ...$date_args] --dry-run=$dry_run
    finish --dry-run=$dry_run
    return
  }
  if $date == "latest" {
    error make --unspanned { msg: "--date latest needs the repositories on this machine: use it with --local, or give the day (YYYY-MM-DD)" }
  }
  # The orchestrator takes YYYY-MM-DD (its default is yesterday); Sparky's days are UTC.
  let date = match $date {
    "today" => (today)
    "yesterday" => ((date now) - 1day | date to-timezone UTC | format date "%Y-%m-%d")
    _ => $date
  }
  if $target not-in [local production] {
    error make --unspanned { msg: $"--target ($target): expected local or production" }
  }
  let token = $env.SPARKY_API_TOKEN? | default ""
  let api_url = $env.SPARKY_API_URL? | default "" | str trim --right --char "/"
  let needs_forward = ($api_url | is-empty) and $target == "production"
  # Production is reached through the DGX's own kubeconfig, never kubectl's current context
  # (dgx-kube-args fails, saying how to fix it, when there is none). With SPARKY_API_URL
  # kubectl is not needed, and the arguments only shape the hint below.
  let kube = if $target == "local" { kube-args --context ($context | default $LOCAL_CONTEXT) } else if $needs_forward {
    dgx-kube-args --context $context --kubeconfig $kubeconfig
  } else {
    kube-args --context ($context | default $DGX_CONTEXT) --kubeconfig ($kubeconfig | default ($env.SPARKY_KUBECONFIG? | default "~/.kube/sparky-dgx.yaml"))
  }
  if ($token | is-empty) and not $dry_run {
    error make --unspanned { msg: $"SPARKY_API_TOKEN is not set: export the orchestrator's token first:\n  export SPARKY_API_TOKEN=$\((show [kubectl ...$kube -n $NAMESPACE get secret sparky-secrets -o 'jsonpath={.data.SPARKY_API_TOKEN}']) | base64 -d\)" }
  }
  let body = if $date == null { { period: $period } } else { { period: $period, date: $date } }

  let forward_cmd = [kubectl ...$kube -n $NAMESPACE port-forward svc/sparky-orchestrator $"($PORT_FORWARD_PORT):8080"]
  if $needs_forward {
    require kubectl --dry-run=$dry_run
    print $"+ (show $forward_cmd) &"
  }
  let forward = if $needs_forward and not $dry_run {
    let id = job spawn { run-external ($forward_cmd | first) ...($forward_cmd | skip 1) | ignore }
    sleep 2sec
    $id
  } else { -1 }
  let url = if ($api_url | is-not-empty) { $api_url } else if $needs_forward { $"http://localhost:($PORT_FORWARD_PORT)" } else { "http://localhost:30080" }

  print $"+ POST ($url)/runs ($body | to json --raw) \(authorization: Bearer ***\)"
  if $dry_run {
    if not $no_wait { print $"+ GET ($url)/runs/<runId> until it succeeds or fails" }
    finish --dry-run
    return
  }
  let result = try {
    follow $url $token $body $no_wait $timeout
  } catch {|e|
    if $forward >= 0 { job kill $forward }
    error make --unspanned { msg: $e.msg }
  }
  if $forward >= 0 { job kill $forward }
  if $result.state == "failed" { exit 1 }
}

def follow [url: string, token: string, body: record, no_wait: bool, timeout: duration]: nothing -> any {
  let headers = [authorization $"Bearer ($token)"]
  let accepted = try {
    http post --full --allow-errors --content-type application/json --headers $headers $"($url)/runs" $body
  } catch {|e|
    error make --unspanned { msg: $"could not reach the orchestrator at ($url) \(($e.msg)\): is Sparky deployed \(`just deploy-local`, `just status`\)? Set SPARKY_API_URL to reach it elsewhere." }
  }
  if $accepted.status != 202 {
    error make --unspanned { msg: $"POST ($url)/runs answered ($accepted.status): ($accepted.body | to json --raw)" }
  }
  let run_id = $accepted.body.runId
  print $"accepted: ($run_id)"
  if $no_wait { return { runId: $run_id, state: "accepted" } }
  let deadline = (date now) + $timeout
  mut last = ""
  loop {
    let r = try { http get --full --allow-errors $"($url)/runs/($run_id)" } catch { { status: 0, body: null } }
    if $r.status == 200 {
      let run = $r.body
      let current = $run.stages | where state == "running" | get -o stage.0 | default ""
      let line = $"($run.state) ($current)" | str trim
      if $line != $last { print $"  ($run_id): ($line)"; $last = $line }
      if $run.state in [succeeded failed] {
        if $run.state == "failed" { print --stderr $"($run_id) failed: ($run.reason)" }
        let published = $run.stages | where stage == "publish" | get -o result.0 | default {}
        if $run.state == "succeeded" { print $"($run_id) succeeded; docs commit: ($published | get -o commit | default 'none')" }
        return { runId: $run_id, state: $run.state }
      }
    }
    if (date now) > $deadline {
      error make --unspanned { msg: $"($run_id) still not finished after ($timeout): see `just status` and `just logs-follow`" }
    }
    sleep 3sec
  }
}
