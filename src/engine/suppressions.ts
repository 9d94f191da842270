import type { Finding, Suppression } from "../model/finding.js";

export interface SuppressionMatch {
  suppression: Suppression;
  expired: boolean;
}

/** A compiled glob: whether a text matches, case-insensitively. */
export type GlobMatcher = (text: string) => boolean;

/**
 * `*` any run of characters, `?` one; ARM IDs compare case-insensitively. Compiled to the
 * literal pieces between stars and matched left to right, each piece at its first fit: that
 * is exact for `*`/`?` globs and takes at most (text length × glob length) steps, where a
 * backtracking regex (`^.*a.*a.*a…b$`) takes exponential time on a long near-miss.
 */
export function compileGlob(glob: string): GlobMatcher {
  const pieces = glob.toLowerCase().split("*");
  const first = pieces[0]!;
  if (pieces.length === 1) return (text) => text.length === first.length && fitsAt(text.toLowerCase(), first, 0);
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== "");
  return (raw) => {
    const text = raw.toLowerCase();
    if (text.length < first.length + last.length) return false;
    if (!fitsAt(text, first, 0) || !fitsAt(text, last, text.length - last.length)) return false;
    let position = first.length;
    const end = text.length - last.length;
    for (const piece of middle) {
      const found = indexOfPiece(text, piece, position, end);
      if (found < 0) return false;
      position = found + piece.length;
    }
    return true;
  };
}

/** Whether `piece` (with `?` wildcards) fits `text` at `start`. */
function fitsAt(text: string, piece: string, start: number): boolean {
  if (start < 0 || start + piece.length > text.length) return false;
  for (let index = 0; index < piece.length; index++) {
    const char = piece[index]!;
    if (char !== "?" && char !== text[start + index]) return false;
  }
  return true;
}

/** The first position ≥ from where `piece` fits and ends by `end`; -1 when none. */
function indexOfPiece(text: string, piece: string, from: number, end: number): number {
  for (let start = from; start + piece.length <= end; start++) if (fitsAt(text, piece, start)) return start;
  return -1;
}

/** Each suppression's glob is compiled once, however many findings are checked against it. */
const compiled = new WeakMap<Suppression, GlobMatcher>();

function matcherOf(suppression: Suppression): GlobMatcher {
  let matcher = compiled.get(suppression);
  if (!matcher) compiled.set(suppression, (matcher = compileGlob(suppression.resourceId)));
  return matcher;
}

/**
 * The suppression that covers a finding: the first live one, or else the first expired one
 * (so the report can say the finding came back because its suppression ran out).
 */
export function matchSuppression(
  finding: Pick<Finding, "ruleId" | "resourceId">,
  suppressions: readonly Suppression[],
  now: Date,
): SuppressionMatch | undefined {
  let expiredMatch: SuppressionMatch | undefined;
  for (const suppression of suppressions) {
    if (suppression.ruleId !== "*" && suppression.ruleId !== finding.ruleId) continue;
    if (!matcherOf(suppression)(finding.resourceId)) continue;
    if (!isExpired(suppression, now)) return { suppression, expired: false };
    expiredMatch ??= { suppression, expired: true };
  }
  return expiredMatch;
}

/**
 * When a suppression stops holding. `expiresOn` as a date (`2027-01-31`) holds through that
 * whole UTC day; with a time (`2027-01-31T12:00:00Z`) it holds until that instant.
 */
export function suppressionEnd(expiresOn: string): Date {
  return expiresOn.length > 10 ? new Date(expiresOn) : new Date(`${expiresOn}T23:59:59.999Z`);
}

function isExpired(suppression: Suppression, now: Date): boolean {
  if (!suppression.expiresOn) return false;
  return now.getTime() > suppressionEnd(suppression.expiresOn).getTime();
}
