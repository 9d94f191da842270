/**
 * Suppression globs: exact `*`/`?` semantics (checked against a reference regex on generated
 * cases), compiled once, and no exponential blow-up on the pattern that made the backtracking
 * regex take minutes (`*a*a*a…*b` against a long run of `a`).
 */
import { describe, expect, it } from "vitest";
import { compileGlob, matchSuppression } from "../../src/engine/suppressions.js";

/** The old translation, as a reference on small inputs (where backtracking is harmless). */
function referenceRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "is");
}

describe("compileGlob", () => {
  it("agrees with a regex translation on generated globs and texts", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    let checked = 0;
    for (let i = 0; i < 4000; i++) {
      const glob = pick("ab*?/A", Math.floor(random() * 7));
      const text = pick("abB/", Math.floor(random() * 9));
      expect(compileGlob(glob)(text), `${glob} vs ${text}`).toBe(referenceRegExp(glob).test(text));
      checked++;
    }
    expect(checked).toBe(4000);
  });

  it("handles the edge cases", () => {
    expect(compileGlob("")("")).toBe(true);
    expect(compileGlob("")("a")).toBe(false);
    expect(compileGlob("*")("")).toBe(true);
    expect(compileGlob("a*a")("a")).toBe(false);
    expect(compileGlob("a*a")("aa")).toBe(true);
    expect(compileGlob("*.web/*")("/X.Web/y")).toBe(true);
    expect(compileGlob("a?c")("abc")).toBe(true);
    expect(compileGlob("a?c")("ac")).toBe(false);
  });

  it("answers a pathological glob against a long near-miss at once (the regex took minutes)", () => {
    const glob = `${"*a".repeat(30)}*b`;
    const text = "a".repeat(20_000);
    const match = compileGlob(glob);
    expect(match(text)).toBe(false);
    expect(match(`${text}b`)).toBe(true);
    expect(matchSuppression({ ruleId: "r", resourceId: text }, [{ ruleId: "*", resourceId: glob, reason: "x" }], new Date())).toBeUndefined();
  }, 2_000);
});

describe("expiresOn", () => {
  const finding = { ruleId: "r", resourceId: "/x" };
  it("honours a time part: holds until that instant, not through the day", () => {
    const suppression = { ruleId: "*", resourceId: "*", reason: "r", expiresOn: "2027-01-31T12:00:00Z" };
    expect(matchSuppression(finding, [suppression], new Date("2027-01-31T11:59:59Z"))).toMatchObject({ expired: false });
    expect(matchSuppression(finding, [suppression], new Date("2027-01-31T12:00:01Z"))).toMatchObject({ expired: true });
  });
});
