/** "Did you mean": the closest candidate within a small edit distance, as shells and `az` suggest. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  // Close enough to be a typo: one edit per three letters, at most 2 (so "xml" is not "html").
  if (!best || best.distance > Math.min(2, Math.max(1, Math.floor(best.candidate.length / 3)))) {
    const prefixed = candidates.filter((candidate) => wanted.length >= 3 && candidate.toLowerCase().startsWith(wanted));
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }
  return best.candidate;
}

/** `; did you mean X?` when one is close, else nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closest(input, candidates);
  return match === undefined ? "" : `; did you mean ${match}?`;
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one typo. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
