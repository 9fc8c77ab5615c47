#!/usr/bin/env node
// Bundles the compiled CLI (packages/cli/dist/main.js) into one CommonJS file,
// packages/cli/bundle/main.cjs, which bin/sparky.js loads through V8's code cache
// (bin/load-bundle.js). Node 20 has no module compile cache: unbundled, every `sparky` start
// resolves, reads and compiles ~340 module files, and a code cache can only be used with a
// script, not with ES modules. Measured by bench/digest-startup.mjs.
//
// bin/sparky.js takes the bundle only while its stamp is newer than every package's build, so
// a bare `tsc -b` after an edit runs dist/ rather than stale code.
//
// What is bundled: Sparky's own packages and what every digest loads: zod (100 files), pino
// (27 with its dependencies, 35 ms to load uncached), smol-toml, and msgpackr (its pure-JS
// entry, as unbundled: its CommonJS build would load the native reader too).
// Everything else in node_modules stays external, loaded from the very file Node resolves for
// it (a path relative to the bundle): native zeromq, pino's worker transports and fastify load
// as they do unbundled, and modules behind a lazy import stay unloaded until used.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "packages", "cli");
const OUT = join(CLI, "bundle");
const INLINE = new Set(["zod", "msgpackr", "pino", "smol-toml"]);
/**
 * What an inlined package imports is inlined with it, except these: thread-stream finds its
 * worker file by `__dirname`, which in a bundle would be the bundle's folder. (pino's own
 * `__dirname` is read only to start a transport, and Sparky logs through none.)
 */
const KEEP_EXTERNAL = new Set(["thread-stream"]);
const inNodeModules = (file) => file.includes(`${sep}node_modules${sep}`);
/** Names of what bin/load-bundle.js passes in: `import()` (see `dynamicImports`) and a file's URL. */
const IMPORT = "__sparkyImport";
const FILE_URL = "__sparkyFileUrl";

let esbuild;
try {
  esbuild = await import("esbuild");
} catch (error) {
  // The CLI runs unbundled from dist/ just the same, only slower to start.
  console.warn(`bundle-cli: esbuild is not available (${error.message}); sparky runs from packages/cli/dist`);
  process.exit(0);
}

const fromOut = (file) => {
  const path = relative(OUT, file).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
};
const packageName = (specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
/** The external paths reached by `import()`; bin/load-bundle.js imports them. */
const dynamic = new Set();

/** Third-party packages: external, by the path Node would load them from. */
const externals = {
  name: "external-node-modules",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.external || args.path.startsWith("node:")) return undefined;
      const name = packageName(args.path);
      if (name.startsWith("@sparky/") || INLINE.has(name)) return undefined;
      if (inNodeModules(args.importer) && !KEEP_EXTERNAL.has(name)) return undefined;
      const resolve = (kind) => build.resolve(args.path, { kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { external: true } });
      // A static import becomes require(): a dual package's CommonJS build where it has one,
      // else its ES module (require(esm), Node 20.19 and later).
      let resolved = args.kind === "import-statement" ? await resolve("require-call") : undefined;
      if (!resolved || resolved.errors.length > 0) resolved = await resolve(args.kind);
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Node built-ins without the node: prefix resolve to themselves.
      if (resolved.external || !inNodeModules(resolved.path)) return { path: args.path, external: true };
      const path = fromOut(resolved.path);
      if (args.kind === "dynamic-import") dynamic.add(path);
      return { path, external: true };
    });
  },
};

/**
 * zod re-exports its 60 locales (1.1 MB) as `z.locales`, and a re-exported namespace cannot be
 * tree-shaken: every start would compile them. Sparky words its own errors and sets no
 * locale, so the bundle keeps only English, the one zod configures itself with.
 */
const englishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: join(args.resolveDir, args.path), namespace: "zod-locales" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), "en.js"))};`,
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

/** `import.meta.url` means the file it was written in: createRequire and asset paths rely on it. */
const metaUrl = {
  name: "import-meta-url",
  setup(build) {
    build.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      // A function the loader passes in: a module's own `require` (dashboard/assets) could shadow any helper named here.
      const url = `${FILE_URL}(${JSON.stringify(fromOut(args.path))})`;
      return { contents: source.replaceAll("import.meta.url", url), loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Code deserialised from V8's code cache loses its `import()` callback on Node 20 ("A dynamic
 * import callback was not specified"), so each `import("<external>")` calls a function the
 * loader passes in instead. The build fails if any `import(` is left that was not replaced.
 */
const dynamicImports = (code) => {
  let replaced = code;
  for (const path of dynamic) replaced = replaced.replaceAll(`import(${JSON.stringify(path)})`, `${IMPORT}(${JSON.stringify(path)})`);
  const left = replaced.match(/(?<![\w$.`])import\s*\((?!\))/g); // `import()` alone: prose in a comment
  if (left) throw new Error(`bundle-cli: ${left.length} import() call(s) left in the bundle; they would fail under the code cache`);
  return replaced;
};

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const started = Date.now();
const result = await esbuild.build({
  entryPoints: [join(CLI, "dist", "main.js")],
  outfile: join(OUT, "main.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // Readable stack traces: names and lines as compiled.
  minify: false,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  write: false,
  plugins: [englishOnly, externals, metaUrl],
});
const [output] = result.outputFiles;
await writeFile(output.path, dynamicImports(output.text));
// Written last: bin/sparky.js takes the bundle only when this stamp is newer than every build.
await writeFile(join(OUT, "stamp"), `${new Date().toISOString()}\n`);
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle-cli: ${inputs} modules into packages/cli/bundle/main.cjs (${(output.contents.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms)`);
