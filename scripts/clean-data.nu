# Remove what Sparky's runs left in this checkout: data/ (collected data, run state, caches)
# and, with --docs, output/ (the digests). output/ is the default docs repository, whose
# commits may exist nowhere else, so a folder holding a git repository is removed only once
# you confirm: by typing its name at the prompt, or with --yes when there is no terminal.
# `just clean` never touches either.
use lib.nu *

def main [
  --docs                  # also remove output/, the digests (the docs repository by default)
  --yes                   # remove a git repository without asking
  --dry-run               # print what would be removed
] {
  let names = [data] | append (if $docs { [output] } else { [] })
  let present = $names | where {|n| $ROOT | path join $n | path exists }
  for name in ($names | where {|n| $n not-in $present }) { print $"($name)/ does not exist" }
  # Every confirmation first: a refusal leaves everything in place.
  for name in $present {
    let dir = $ROOT | path join $name
    if not ($dir | path join .git | path exists) or $yes or $dry_run { continue }
    let commits = do { ^git -C $dir rev-list --count --all } | complete
    let count = if $commits.exit_code == 0 { $" with ($commits.stdout | str trim) commit\(s\)" } else { "" }
    let what = $"($name)/ is a git repository($count) \(output/ is the docs repository by default\); its commits may exist nowhere else"
    if not (is-terminal --stdin) {
      let again = if $docs { "just clean-data --docs --yes" } else { "just clean-data --yes" }
      error make --unspanned { msg: $"($what): nothing was removed. Push or copy what you want to keep, then: ($again)" }
    }
    let answer = input $"($what). Type ($name) to remove it: "
    if $answer != $name {
      error make --unspanned { msg: $"($name)/ kept \(you typed '($answer)'\); nothing was removed" }
    }
  }
  for name in $present {
    let dir = $ROOT | path join $name
    let note = if ($dir | path join .git | path exists) { "   # a git repository" } else { "" }
    print $"+ rm -rf ($dir)($note)"
    if not $dry_run { rm --recursive --force $dir }
  }
  let removed = if ($present | is-empty) { "nothing" } else { $present | each {|n| $"($n)/" } | str join ", " }
  finish $"removed: ($removed)" --dry-run=$dry_run
}
