// A scheme URL, `www.` or a script scheme: the start of a link in any renderer.
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b(?:javascript|vbscript):/i;
// HTML tags and entities, Markdown links, images and reference links.
const MARKUP = /<\/?[a-z!?]|&#?[a-z0-9]+;|\]\s*\(|!\[|\]\s*\[|\]:/i;
const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[a-z]{2,}/i;
// `host.tld`, `a.b.example`: a dotted name whose last label is letters only.
const HOST = /(?<![\p{L}\p{N}_-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})(?![\p{L}\p{N}_-])/giu;
// File names look like host names (`README.md` against `evil.md`); these extensions are
// allowed because commit subjects are full of them. What escaping leaves of either can
// never be a link, so the only cost of this list is a file name let through.
const FILE_EXTENSIONS = new Set(
  "md mdx json ts tsx js jsx mjs cjs yml yaml toml ini txt lock py rs go java kt rb sh css scss html sql xml svg png jpg c h cc cpp hpp cs swift php vue proto tf nix".split(" "),
);

// Top-level domains a dotted name must end in to read as a web address: every two-letter
// (country) one, and the generic ones links are actually made of. Without this, an API
// name such as `res.location` or `process.env` would read as an address and an honest
// theme about it would be refused.
const GENERIC_TLDS = new Set(
  (
    "com net org edu gov mil int info biz name pro mobi asia tel travel jobs aero coop museum xxx " +
    "app dev page io ai xyz online site website shop store top club link click live news blog cloud tech " +
    "zip mov download stream email social world life today space fun icu vip win bid loan work " +
    "example test invalid localhost local internal onion lan home corp"
  ).split(" "),
);

function isTopLevelDomain(label: string): boolean {
  const lower = label.toLowerCase();
  return (lower.length === 2 && /^[a-z]{2}$/.test(lower)) || GENERIC_TLDS.has(lower);
}

/**
 * Why text a model wrote may not be shown in a digest, or null. Model text is derived from
 * untrusted titles and bodies: a prompt injection that got through would show up here as
 * a link, an address or markup, and the text is refused rather than cleaned, since what
 * an attacker steered the model into writing cannot be trusted in part either.
 */
export function unsafeTextProblem(text: string): string | null {
  if (URL_LIKE.test(text)) return "contains a URL";
  if (MARKUP.test(text)) return "contains HTML or Markdown markup";
  if (EMAIL.test(text)) return "contains an email address";
  for (const match of text.matchAll(HOST)) {
    const tld = match[1]!;
    if (isTopLevelDomain(tld) && !FILE_EXTENSIONS.has(tld.toLowerCase())) return `contains the address ${match[0]}`;
  }
  return null;
}
