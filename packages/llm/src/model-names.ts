/** `llama3` and `llama3:latest` name the same model; Ollama lists the tagged form. */
export function sameModel(configured: string, listed: string): boolean {
  const tagged = (name: string) => (name.includes(":") ? name : `${name}:latest`);
  return tagged(configured.trim().toLowerCase()) === tagged(listed.trim().toLowerCase());
}
