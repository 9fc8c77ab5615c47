export { renderDigest } from "./render-digest.js";
export type { RenderDigestOptions } from "./render-digest.js";
export { renderIndex, readDigestEntries } from "./render-index.js";
export type { DigestEntry } from "./render-index.js";
export { generateDigest } from "./generate-digest.js";
export type { GenerateContext } from "./generate-digest.js";
export { escapeMarkdownInline, yamlString } from "./escape.js";
export { createGenerator } from "./create-generator.js";
