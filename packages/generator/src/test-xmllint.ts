import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * libxml2's xmllint, when the machine has it (Debian: `apt-get install libxml2-utils`;
 * .ci/run installs it). Tests that need it are skipped, saying so, when it is missing.
 */
export const hasXmllint = spawnSync("xmllint", ["--version"]).status === 0;
if (!hasXmllint) console.log("feed schema tests skipped: xmllint not installed (apt-get install libxml2-utils)");

/** The Atom schema of RFC 4287 (appendix B), converted from its RELAX NG compact form with trang. */
export const ATOM_RNG = fileURLToPath(new URL("../../../tests/fixtures/atom/atom.rng", import.meta.url));

/** Validate an XML document against a RELAX NG schema; `ok` and xmllint's own words. */
export function validateRelaxNg(xml: string, schema = ATOM_RNG): { ok: boolean; output: string } {
  const result = spawnSync("xmllint", ["--noout", "--relaxng", schema, "-"], { input: xml, encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** The string value of an XPath expression over a document, as a conforming parser reads it. */
export function xpathString(xml: string, expression: string): string {
  const result = spawnSync("xmllint", ["--xpath", `string(${expression})`, "-"], { input: xml, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`xmllint could not read the document: ${result.stderr}`);
  // xmllint ends what it prints with a newline of its own.
  return result.stdout.replace(/\n$/, "");
}
