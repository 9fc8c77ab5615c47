// Words, single digits (Qwen and Llama tokenizers split numbers into digits) and single
// other visible characters: roughly how a BPE tokenizer cuts commit-like text.
const PIECES = /\p{L}+|\p{N}|[^\s\p{L}\p{N}]/gu;
const LATIN = /^[\u0000-\u024f]+$/;

/**
 * Tokens a prompt will take, estimated without the model's tokenizer: a token per started
 * four letters of a Latin-script word, one per letter of other scripts, one per digit and
 * per punctuation mark. That over-counts plain English by a third and is near the mark for
 * paths, versions and hashes, which commit subjects are full of. Erring high only makes a
 * chunk smaller; erring low would let Ollama silently cut the start of the prompt, system
 * instructions included, once it exceeds `num_ctx`.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const [piece] of text.matchAll(PIECES)) {
    if (!/^\p{L}/u.test(piece)) tokens += 1;
    else tokens += LATIN.test(piece) ? Math.ceil(piece.length / 4) : piece.length;
  }
  return tokens;
}

/** Per-message overhead of the chat template (role markers, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 8;
