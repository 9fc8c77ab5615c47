/** `1 commit`, `2 commits`, `0 repositories`: every message and log line counts things the same way. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
