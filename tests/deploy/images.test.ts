// The third-party images (Ollama, Prometheus, Grafana, NVIDIA's device plugin): one table in
// the README pins each to a release, and every place that runs one uses exactly that version,
// so an update cannot leave compose and the cluster on different releases.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { ROOT, podTemplates, read, render } from "./support.js";
import type { Obj } from "./support.js";

/** Sparky's own image: built from this checkout, tagged by the overlays and the scripts. */
const isSparky = (ref: string) => /^(\$\{SPARKY_IMAGE[^}]*\}|sparky(:.*)?|ghcr\.io\/raibid-labs\/sparky(:.*)?)$/.test(ref);

/** name and tag of an image reference (the tag follows the last ':' after the last '/'). */
function split(ref: string): { name: string; tag: string } {
  const at = ref.lastIndexOf(":");
  return at > ref.lastIndexOf("/") ? { name: ref.slice(0, at), tag: ref.slice(at + 1) } : { name: ref, tag: "" };
}

/** The README's "Third-party images" table: image name -> pinned version. */
function pinned(): Map<string, string> {
  const readme = read("README.md");
  const start = readme.indexOf("### Third-party images");
  expect(start, "README.md has a section \"### Third-party images\"").toBeGreaterThanOrEqual(0);
  const section = readme.slice(start, readme.indexOf("\n#", start + 1));
  expect(section).toMatch(/^Last checked: \d{4}-\d{2}-\d{2}\.$/m);
  const rows = [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(ROOT, dir, name);
    if (statSync(path).isDirectory()) return filesUnder(join(dir, name), ext);
    return ext.test(name) ? [relative(ROOT, path)] : [];
  });
}

/** Every `image:` line as written, with its file and line number. */
function writtenImages(): { where: string; ref: string }[] {
  const files = [...readdirSync(ROOT).filter((f) => /^docker-compose.*\.ya?ml$/.test(f)), ...filesUnder("k8s", /\.ya?ml$/)];
  return files.flatMap((file) =>
    read(file)
      .split("\n")
      .flatMap((line, i) => {
        const m = /^\s*(?:-\s+)?image:\s*["']?([^\s"'#]+)/.exec(line);
        return m ? [{ where: `${file}:${i + 1}`, ref: m[1]! }] : [];
      }),
  );
}

/** The images the rendered manifests and the parsed compose file really run. */
function runImages(): { where: string; ref: string }[] {
  const found: { where: string; ref: string }[] = [];
  for (const dir of ["k8s/overlays/local", "k8s/overlays/production", "k8s/dgx"]) {
    for (const { owner, spec } of podTemplates(render(dir))) {
      for (const c of [...(spec.initContainers ?? []), ...spec.containers] as Obj[]) {
        found.push({ where: `${dir} ${owner.kind}/${owner.metadata.name} ${c.name}`, ref: c.image });
      }
    }
  }
  for (const file of readdirSync(ROOT).filter((f) => /^docker-compose.*\.ya?ml$/.test(f))) {
    const compose = parseDocument(read(file), { merge: true, customTags: [{ tag: "!reset", resolve: () => null }] }).toJS({
      maxAliasCount: 100,
    }) as Obj;
    for (const [name, service] of Object.entries((compose.services ?? {}) as Record<string, Obj | null>)) {
      if (service?.image) found.push({ where: `${file} services.${name}`, ref: service.image });
    }
  }
  return found;
}

describe("third-party images", () => {
  const table = pinned();

  it("are listed in the README, each pinned to a version", () => {
    expect([...table.keys()].sort()).toEqual(["grafana/grafana", "nvcr.io/nvidia/k8s-device-plugin", "ollama/ollama", "prom/prometheus"]);
    for (const [name, version] of table) {
      expect(version, name).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it("have the README's version wherever compose or k8s names them, as written and as rendered", () => {
    const uses = [...writtenImages(), ...runImages()].filter((u) => !isSparky(u.ref));
    const wrong = uses.flatMap(({ where, ref }) => {
      const { name, tag } = split(ref);
      if (!table.has(name)) return [`${where}: ${ref} is not in the README's "Third-party images" table`];
      return tag === table.get(name) ? [] : [`${where}: ${ref}, the README pins ${name}:${table.get(name)}`];
    });
    expect(wrong).toEqual([]);
    // Each listed image is used somewhere (a stale row would pin nothing).
    const used = new Set(uses.map((u) => split(u.ref).name));
    for (const name of table.keys()) expect(used, name).toContain(name);
  });
});
