/**
 * Repository-name globs for `[collector] include` / `exclude`: `*` (any run of
 * characters but `/`), `?` (one character), `[abc]`, `{api,web}`. A glob without `/`
 * matches the repository name, one with `/` the `owner/name`. Case-insensitive, as
 * GitHub names are.
 */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close === -1) out += "\\[";
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = close;
      }
    } else if (c === "{") {
      braces += 1;
      out += "(?:";
    } else if (c === "}" && braces > 0) {
      braces -= 1;
      out += ")";
    } else if (c === "," && braces > 0) out += "|";
    else out += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${out}${")".repeat(braces)}$`, "i");
}

/** Whether `owner/name` is matched by any of the globs. */
export function matchesAny(globs: readonly RegExp[], sources: readonly string[], owner: string, name: string): boolean {
  return globs.some((re, i) => re.test(sources[i]!.includes("/") ? `${owner}/${name}` : name));
}

/** The include/exclude decision: included (or no include globs) and not excluded. */
export function repositoryFilter(include: readonly string[], exclude: readonly string[]) {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return (owner: string, name: string): boolean =>
    (include.length === 0 || matchesAny(inc, include, owner, name)) && !matchesAny(exc, exclude, owner, name);
}
